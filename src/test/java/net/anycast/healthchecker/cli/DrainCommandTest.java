package net.anycast.healthchecker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drain, undrain and status commands on a real configuration and spool in a temp dir. */
class DrainCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private List<String> config() throws Exception {
    Path conf = dir.resolve("daemon.conf");
    Files.writeString(conf, "[daemon]\npidfile = " + dir.resolve("x.pid") + "\nbird_conf = "
        + dir.resolve("prefixes.conf") + "\nspool_dir = " + dir.resolve("spool") + "\n");
    Path d = Files.createDirectories(dir.resolve("d"));
    Files.writeString(d.resolve("s.conf"), "[DEFAULT]\ncheck_disabled = false\n"
        + "ip_check_disabled = true\n[dns]\ncheck_cmd = /bin/true\nip_prefix = 10.0.0.1/32\n"
        + "[web]\ncheck_cmd = /bin/true\nip_prefix = 10.0.0.2/32\n");
    Files.writeString(dir.resolve("prefixes.conf"),
        "define ACAST_PS_ADVERTISE =\n    [\n        10.189.200.255/32,\n        10.0.0.2/32\n    ];\n");
    return List.of("-f", conf.toString(), "-d", d.toString());
  }

  private int run(List<String> base, String... args) {
    String[] all = java.util.stream.Stream.concat(base.stream(), java.util.Arrays.stream(args))
        .toArray(String[]::new);
    return Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void drain_writesAHacheckFile_statusShowsIt_undrainRemovesIt() throws Exception {
    List<String> c = config();
    assertThat(run(c, "drain", "-r", "kernel upgrade", "-e", "2h", "dns")).isZero();
    String file = Files.readString(dir.resolve("spool/dns"));
    assertThat(file).startsWith("{\"reason\": \"kernel upgrade\", \"expiration\": ");
    assertThat(out.toString()).contains("drained dns: kernel upgrade (until ")
        .contains("no daemon is running");
    assertThat(run(c, "status")).as("drained and no daemon").isEqualTo(1);
    assertThat(out.toString()).containsPattern("dns +10.0.0.1/32 +not running +yes: kernel"
        + " upgrade, until .* withdrawn")
        .containsPattern("web +10.0.0.2/32 +not running +no +announced");
    out.getBuffer().setLength(0);
    assertThat(run(c, "status", "--json")).isEqualTo(1);
    assertThat(out.toString()).contains("\"name\": \"dns\"", "\"drained\": true",
        "\"reason\": \"kernel upgrade\"", "\"ok\": false");
    assertThat(run(c, "undrain", "dns")).isZero();
    assertThat(dir.resolve("spool/dns")).doesNotExist();
  }

  @Test
  void drain_unknownService_isAnErrorListingTheConfiguredOnes_andWritesNothing() throws Exception {
    List<String> c = config();
    assertThat(run(c, "drain", "-r", "x", "dsn")).isEqualTo(1);
    assertThat(err.toString()).contains("drain: not a configured service: dsn; configured: dns,"
        + " web (--force writes the file anyway)");
    assertThat(dir.resolve("spool")).doesNotExist();
    assertThat(run(c, "drain", "-r", "x", "--force", "dsn")).isZero();
    assertThat(dir.resolve("spool/dsn")).exists();
  }

  @Test
  void drain_portFileAndAll() throws Exception {
    List<String> c = config();
    assertThat(run(c, "drain", "-r", "x", "dns:53")).isZero();
    assertThat(dir.resolve("spool/dns:53")).exists();
    assertThat(run(c, "undrain", "dns")).as("undrain removes the port files too").isZero();
    assertThat(dir.resolve("spool/dns:53")).doesNotExist();
    assertThat(run(c, "drain", "-r", "node maintenance", "--all")).isZero();
    assertThat(dir.resolve("spool/all")).exists();
    assertThat(run(c, "undrain", "--all")).isZero();
    assertThat(dir.resolve("spool/all")).doesNotExist();
  }

  @Test
  void drain_needsATarget_andABadExpiryIsAnError() throws Exception {
    List<String> c = config();
    assertThat(run(c, "drain", "-r", "x")).isEqualTo(1);
    assertThat(run(c, "drain", "-r", "x", "-e", "soon", "dns")).isEqualTo(1);
    assertThat(err.toString()).contains("drain: -e 'soon': not understood");
    assertThat(dir.resolve("spool")).doesNotExist();
  }
}
