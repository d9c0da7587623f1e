package net.anycast.healthchecker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.anycast.healthchecker.config.ExampleConfigs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and output of the command line, in-process. */
class MainTest {
  @TempDir Path root;
  private Path daemonFile;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void examples() throws Exception {
    daemonFile = ExampleConfigs.copyTo(root);
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void check_validConfiguration_printsOkAndExitsZero() {
    assertThat(run("-c", "-f", daemonFile.toString(), "-d", root.resolve("checks").toString()))
        .isZero();
    assertThat(out.toString()).isEqualTo("OK\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void check_singleServiceFile_printsOk() {
    assertThat(run("--check", "--file", daemonFile.toString(), "--service-file",
        root.resolve("checks/foo.bar.com.conf").toString())).isZero();
    assertThat(out.toString()).isEqualTo("OK\n");
  }

  @Test
  void check_invalidConfiguration_printsReasonToStderrAndExitsOne() throws Exception {
    Files.writeString(root.resolve("checks/bad.conf"), "[bad]\ncheck_cmd = /bin/true\n"
        + "ip_prefix = 10.0.0.1\ncheck_rise = two\n");
    assertThat(run("-c", "-f", daemonFile.toString(), "-d", root.resolve("checks").toString()))
        .isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEqualTo("Invalid configuration: " + root
        + "/checks/bad.conf: [bad] check_rise = 'two': not an integer; expected a whole number"
        + " from 1 to 1000000\n");
  }

  @Test
  void missingDaemonFile_isInvalidConfiguration() {
    assertThat(run("-c", "-f", root.resolve("nope.conf").toString(), "-d", root.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Invalid configuration: " + root
        + "/nope.conf: configuration file either isn't readable or doesn't exist\n");
  }

  @Test
  void missingServiceDirectory_isInvalidConfiguration() {
    assertThat(run("-c", "-f", daemonFile.toString(), "-d", root.resolve("nodir").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).isEqualTo("Invalid configuration: " + root
        + "/nodir: directory with configuration files for service checks doesn't exist\n");
  }

  @Test
  void dirAndServiceFileTogether_isAUsageErrorWithExitOne() {
    assertThat(run("-c", "-f", daemonFile.toString(), "-d", root.toString(), "-F",
        root.resolve("checks/foo.bar.com.conf").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("mutually exclusive");
  }

  @Test
  void unknownFlag_isAUsageErrorWithExitOne() {
    assertThat(run("--frobnicate")).isEqualTo(1);
    assertThat(err.toString()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void print_showsBuiltInDefaultsExactly() throws Exception {
    assertThat(run("-p")).isZero();
    assertThat(out.toString())
        .isEqualTo(Files.readString(Path.of("src/test/resources/golden/print-defaults.txt")));
  }

  @Test
  void printConf_matchesPythonConfigparserOnTheSameFiles() throws Exception {
    assertThat(run("-P", "-f", daemonFile.toString(), "-d", root.resolve("checks").toString()))
        .isZero();
    List<String> cmd = new ArrayList<>(List.of("python3",
        Path.of("src/test/resources/golden/print_conf.py").toString(), daemonFile.toString()));
    try (var files = Files.list(root.resolve("checks"))) {
      files.map(Path::toString).sorted().forEach(cmd::add);
    }
    Process python = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String expected = new String(python.getInputStream().readAllBytes());
    assertThat(python.waitFor()).as(expected).isZero();
    assertThat(out.toString()).isEqualTo(expected);
  }

  @Test
  void monitor_withoutRunningDaemon_isCriticalWithExitTwo() {
    assertThat(run("--monitor", "-f", daemonFile.toString())).isEqualTo(2);
    assertThat(out.toString()).startsWith("CRITICAL - ");
  }

  @Test
  void monitor_withBrokenDaemonFile_isUnknownWithExitThree() {
    assertThat(run("--monitor", "-f", root.resolve("nope.conf").toString())).isEqualTo(3);
    assertThat(out.toString()).startsWith("UNKNOWN - invalid configuration: ");
  }

  @Test
  void version_printsTheVersionAndExitsZero() {
    assertThat(run("-v")).isZero();
    assertThat(out.toString()).isNotBlank();
  }

  @Test
  void help_printsUsageAndExitsZero() {
    assertThat(run("-h")).isZero();
    assertThat(out.toString()).startsWith("Usage: anycast-healthchecker [ -f <file> -c -p -P ]"
        + " [ -d <directory> | -F <file> ]");
  }
}
