package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file of {@code examples/checks} loads, with no warning, into the kinds it shows. */
class CheckExamplesTest {
  @TempDir Path root;

  private List<ServiceConfig> load(String name) throws Exception {
    Path daemon = ExampleConfigs.copyTo(root);
    String text = Files.readString(Path.of("examples/checks", name))
        .replace("/etc/ssl/certs/ca-certificates.crt", daemon.toString())
        .replace("/usr/local/bin/check-api-queue", "/bin/true");
    Path file = Files.writeString(root.resolve(name), text);
    LoadedConfig loaded = new ConfigLoader("/usr/bin:/bin").load(daemon, null, file);
    assertThat(loaded.warnings()).isEmpty();
    return loaded.configuration().services();
  }

  private static List<String> kinds(ServiceConfig s) {
    return s.checks().specs().stream().map(CheckSpec::kind).toList();
  }

  @Test
  void http() throws Exception {
    ServiceConfig s = load("http.conf").getFirst();
    assertThat(kinds(s)).containsExactly("http");
    assertThat(((CheckSpec.Http) s.checks().specs().getFirst()).headers()).hasSize(2);
  }

  @Test
  void tcp() throws Exception {
    assertThat(load("tcp.conf")).extracting(CheckExamplesTest::kinds)
        .containsExactly(List.of("tcp"), List.of("tcp"));
  }

  @Test
  void dns() throws Exception {
    assertThat(kinds(load("dns.conf").getFirst())).containsExactly("dns");
  }

  @Test
  void several() throws Exception {
    ServiceConfig s = load("several.conf").getFirst();
    assertThat(kinds(s)).containsExactly("exec", "http", "tcp");
    assertThat(s.checks().mode()).isEqualTo(new CheckMode(2));
  }
}
