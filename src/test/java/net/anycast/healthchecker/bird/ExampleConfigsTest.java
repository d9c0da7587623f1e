package net.anycast.healthchecker.bird;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import net.anycast.healthchecker.net.IpFamily;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example BIRD configurations in {@code examples/} parse ({@code bird -p -c}) with prefix
 * files rendered by {@link PrefixFile}, with {@code /etc/bird.d} moved to a temp dir.
 */
@Tag("e2e")
class ExampleConfigsTest {
  private static final Path EXAMPLES = Path.of("examples");
  @TempDir Path dir;

  private Path birdD() throws Exception {
    Path d = Files.createDirectories(dir.resolve("bird.d/6"));
    LocalDateTime t = LocalDateTime.now();
    Files.writeString(d.getParent().resolve("anycast-prefixes.conf"), PrefixFile.of(BgpTestbed.VAR4,
        BgpTestbed.DUMMY4, List.of(TestServices.p("10.52.12.1"))).render(t, 1));
    Files.writeString(d.resolve("anycast-prefixes.conf"), PrefixFile.of(BgpTestbed.VAR6,
        BgpTestbed.DUMMY6, List.of(TestServices.p("2001:db8:5::/64"))).render(t, 1));
    return d.getParent();
  }

  private Path relocated(Path example, Path birdD) throws Exception {
    Path out = dir.resolve(example.getFileName());
    Files.writeString(out, Files.readString(example).replace("/etc/bird.d", birdD.toString()));
    return out;
  }

  private static void parses(Path bird, Path conf) throws Exception {
    BirdBinaries.run(conf.getParent(), bird.toString(), "-p", "-c", conf.toString());
  }

  @Test
  void bird2Example_parses() throws Exception {
    Path birdD = birdD();
    Files.copy(EXAMPLES.resolve("bird2/bird.d/match-route.conf"), birdD.resolve("match-route.conf"));
    parses(BirdBinaries.BIRD2, relocated(EXAMPLES.resolve("bird2/bird.conf"), birdD));
  }

  @Test
  void bird16Examples_parse() throws Exception {
    Path birdD = birdD();
    Path sbin = BirdBinaries.bird16();
    Files.copy(EXAMPLES.resolve("bird1.6/bird.d/match-route.conf"), birdD.resolve("match-route.conf"));
    Files.copy(EXAMPLES.resolve("bird1.6/bird6.d/match-route6.conf"), birdD.resolve("6/match-route6.conf"));
    parses(sbin.resolve("bird"), relocated(EXAMPLES.resolve("bird1.6/bird.conf"), birdD));
    parses(sbin.resolve("bird6"), relocated(EXAMPLES.resolve("bird1.6/bird6.conf"), birdD));
  }

  @Test
  void examples_daemonConfigs_pointEachFamilyAtItsBird() throws Exception {
    assertThat(Files.readString(EXAMPLES.resolve("bird2/anycast-healthchecker.conf")))
        .contains("bird6_reconfigure_cmd = sudo /usr/sbin/birdc configure");
    assertThat(Files.readString(EXAMPLES.resolve("bird1.6/anycast-healthchecker.conf")))
        .contains("bird6_reconfigure_cmd = sudo /usr/sbin/birdc6 configure");
    assertThat(IpFamily.values()).hasSize(2);
  }
}
