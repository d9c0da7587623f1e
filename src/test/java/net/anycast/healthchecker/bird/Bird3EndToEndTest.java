package net.anycast.healthchecker.bird;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every route test of {@link BirdEndToEndTest} with BIRD 3.3.2 as the node (built from the
 * vendored source by {@code bin/build-bird3}; the peer stays BIRD 2): the control socket and the
 * birdc command, a burst, BIRD stopped and restarted, a read-only directory, a bad config. And
 * BIRD 3's own answer: {@code 0004 Reconfiguration in progress} when a protocol restarts.
 */
@Tag("e2e")
@Timeout(180)
class Bird3EndToEndTest extends BirdEndToEndTest {
  @Override
  BgpTestbed.Node node() {
    return BgpTestbed.Node.BIRD3;
  }

  @Test
  void reconfigureThatRestartsAProtocol_inProgress_isConfirmedOnceConfigureStatusSaysDone()
      throws Exception {
    Path sbin = BirdBinaries.bird3();
    Path conf = dir.resolve("b3.conf");
    Path ctl = dir.resolve("b3.ctl");
    // A BGP session to a loopback address nobody answers on: changing its AS restarts it.
    String config = "router id 10.0.0.1;\nprotocol device {}\n"
        + "protocol bgp x { local 127.0.0.1 as %d; neighbor 127.0.0.2 as 65002;"
        + " ipv4 { import none; export none; }; }\n";
    Files.writeString(conf, config.formatted(65001));
    Process bird = new ProcessBuilder(sbin.resolve("bird").toString(), "-f", "-c", conf.toString(),
        "-s", ctl.toString(), "-P", dir.resolve("b3.pid").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("b3.out").toFile()).start();
    try (BirdSocket socket = new BirdSocket(ctl, Duration.ofSeconds(10))) {
      awaitTrue(() -> Files.exists(ctl), "BIRD 3's control socket");
      Thread.sleep(200); // bound before listening: let it accept
      for (int as = 65003; as <= 65004; as++) { // each change restarts the session
        Files.writeString(conf, config.formatted(as));
        BirdSocket raw = new BirdSocket(ctl, Duration.ofSeconds(10));
        assertThat(raw.command("configure")).extracting(BirdReply.Line::code).contains(4);
        raw.close();
        Files.writeString(conf, config.formatted(as + 10));
        assertThat(socket.reconfigure())
            .isEqualTo(new ReconfigureResult.Confirmed("Reconfigured"));
        Files.writeString(conf, config.formatted(as + 20));
        assertThat(new BirdcCommand(sbin.resolve("birdc") + " -s " + ctl + " configure",
            Duration.ofSeconds(5)).reconfigure())
            .isEqualTo(new ReconfigureResult.Confirmed("Reconfigured"));
      }
    } finally {
      bird.destroy();
      if (!bird.waitFor(10, TimeUnit.SECONDS)) {
        bird.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
