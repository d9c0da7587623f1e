package net.anycast.healthchecker.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb that {@code mvn package} built: its contents, and a run of what it installs. */
class DebPackageIT {
  private static Path deb;

  @TempDir static Path root;

  @BeforeAll
  static void unpack() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      deb = files.filter(p -> p.getFileName().toString().endsWith("_amd64.deb")).findFirst()
          .orElseThrow(() -> new AssertionError("no .deb in target/: run mvn package"));
    }
    run(List.of("dpkg", "-x", deb.toString(), root.toString()));
  }

  private static String run(List<String> command, String... unsetEnv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Arrays.stream(unsetEnv).forEach(pb.environment()::remove);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(command + " said:\n" + out).isZero();
    return out;
  }

  @Test
  void contents_everythingAnOperatorNeeds_withExecutableBits() throws Exception {
    String listing = run(List.of("dpkg-deb", "-c", deb.toString()));
    List<String> executables = List.of(
        "./usr/bin/anycast-healthchecker",
        "./usr/lib/nagios/plugins/check_anycast_healthchecker",
        "./usr/lib/anycast-healthchecker/runtime/bin/java",
        "./usr/lib/anycast-healthchecker/runtime/lib/jspawnhelper");
    for (String exe : executables) {
      assertThat(listing).containsPattern("-rwxr-xr-x root/root +\\d+ \\S+ \\S+ " + exe.replace(".", "\\.") + "\n");
    }
    assertThat(listing)
        .contains("./usr/lib/anycast-healthchecker/anycast-healthchecker.jar\n")
        .contains("./usr/lib/systemd/system/anycast-healthchecker.service\n")
        .contains("./usr/lib/tmpfiles.d/anycast-healthchecker.conf\n")
        .contains("./usr/lib/sysusers.d/anycast-healthchecker.conf\n")
        .contains("./etc/anycast-healthchecker.conf\n")
        .contains("./etc/anycast-healthchecker.d/\n")
        .contains("./var/lib/anycast-healthchecker/\n")
        .contains("./var/lib/anycast-healthchecker/6/\n")
        .contains("./usr/share/man/man1/anycast-healthchecker.1\n")
        .contains("./usr/share/bash-completion/completions/anycast-healthchecker\n");
  }

  @Test
  void control_declaresNoJdk_andMarksTheConfigAsConffile() throws Exception {
    String fields = run(List.of("dpkg-deb", "-f", deb.toString(), "Package", "Architecture",
        "Depends"));
    assertThat(fields).isEqualTo("Package: anycast-healthchecker\nArchitecture: amd64\n"
        + "Depends: libc6\n");
    Path control = root.resolveSibling(root.getFileName() + "-control");
    run(List.of("dpkg-deb", "-e", deb.toString(), control.toString()));
    assertThat(Files.readString(control.resolve("conffiles")).strip())
        .isEqualTo("/etc/anycast-healthchecker.conf");
    assertThat(Files.isExecutable(control.resolve("postinst"))).isTrue();
    run(List.of("sh", "-n", control.resolve("postinst").toString()));
  }

  @Test
  void installedLauncher_runsOnTheBundledRuntime_withoutJavaHome() throws Exception {
    String version = run(List.of("dpkg-deb", "-f", deb.toString(), "Version")).strip();
    Path launcher = root.resolve("usr/bin/anycast-healthchecker");
    assertThat(run(List.of(launcher.toString(), "--version"), "JAVA_HOME",
            "ANYCAST_HEALTHCHECKER_JAVA", "ANYCAST_HEALTHCHECKER_JAR").strip())
        .isEqualTo(version);
    // -p goes through picocli, the configuration defaults and the output path.
    assertThat(run(List.of(launcher.toString(), "-p"), "JAVA_HOME"))
        .contains("[daemon]").contains("pidfile = /var/run/anycast-healthchecker/");
  }

  @Test
  void installedLauncher_trainsItsAotCacheUnderVarCache_whichTheBundledRuntimeAccepts()
      throws Exception {
    Path launcher = root.resolve("usr/bin/anycast-healthchecker");
    Path cache = root.resolve("var/cache/anycast-healthchecker/anycast-healthchecker.aot");
    String[] unset = {"JAVA_HOME", "ANYCAST_HEALTHCHECKER_JAVA", "ANYCAST_HEALTHCHECKER_JAR",
        "ANYCAST_HEALTHCHECKER_AOT_CACHE", "ANYCAST_HEALTHCHECKER_JAVA_OPTS"};

    assertThat(run(List.of(launcher.toString(), "train-aot-cache"), unset))
        .contains("AOT cache trained on").contains(cache.toString());

    assertThat(Files.size(cache)).isGreaterThan(1_000_000);
    assertThat(cache.resolveSibling("anycast-healthchecker.aot.key")).isRegularFile();
    String loaded = run(List.of("env", "JAVA_TOOL_OPTIONS=-Xlog:class+load=info",
        launcher.toString(), "--version"), unset);
    assertThat(LauncherAotCacheIT.classesFromTheCache(loaded))
        .as("the daemon's classes come from the cache").isGreaterThan(100);
  }

  @Test
  void bundledRuntime_holdsEveryModuleTheJarNeeds() throws Exception {
    String jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps").toString();
    String needed = run(List.of(jdeps, "--multi-release", "25", "--ignore-missing-deps",
        "--print-module-deps", "target/anycast-healthchecker.jar")).strip();
    String release = Files.readString(
        root.resolve("usr/lib/anycast-healthchecker/runtime/release"), StandardCharsets.UTF_8);
    String modules = release.lines().filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
    List<String> have = new ArrayList<>(List.of(modules.substring(9, modules.length() - 1).split(" ")));
    assertThat(have).as("add the missing ones to runtime.modules in pom.xml")
        .containsAll(List.of(needed.split(",")));
    assertThat(run(List.of(root.resolve("usr/lib/anycast-healthchecker/runtime/bin/java").toString(),
        "-version"))).contains("25");
  }

}
