package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.anycast.healthchecker.bird.BgpTestbed;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, "BIRD's hold with the default bird_reconfigure_cmd": 300 services told to BIRD by
 * {@code birdc configure}, 20 bursts. The strict target (every burst ≤ 1 s from the last decisive
 * check to the peer) is {@code bin/bench --only=birdc-burst}'s; here the bound is generous,
 * because the suite runs on shared, loaded machines, yet it still fails for what the issue
 * found: BIRD 2.0.12 holding an update for up to 3 s, or a hold of a full second on top.
 */
@Tag("e2e")
@Timeout(420)
class BirdcBurstEndToEndTest {
  private static final int SERVICES = 300;
  /** Issue 15 asks for 20; a loaded machine gets through fewer within the budget. */
  private static final int BURSTS = 20;
  private static final int AT_LEAST = 6;
  private static final Duration BUDGET = Duration.ofSeconds(240);
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();

  @Test
  void threeHundredServices_twentyBursts_defaultBirdcCommand_peerExactSoonAfterTheLastDecisiveCheck()
      throws Exception {
    try (BgpTestbed t = BgpTestbed.start(BgpTestbed.Node.BIRD2, dir.resolve("bird"),
        List.copyOf(BirdcBursts.prefixes(SERVICES)))) {
      // Warnings only: 5 info lines per check of 300 services would be most of the daemon's work.
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, false)
          .daemon("loglevel", "warning");
      // Every 2 s: on a loaded 2-core machine 300 checks a second spread a slot over seconds.
      BirdcBursts bursts = new BirdcBursts(t, setup, SERVICES, Duration.ofSeconds(2));
      // No "ready:" line at loglevel warning: the first look at the peer waits for the start.
      DaemonProcess d = daemons.start(t, setup);
      List<BirdcBursts.Burst> seen = bursts.run(d, BURSTS, 20260515L, CONVERGE, BUDGET);
      assertThat(seen).as("bursts done within %s", BUDGET).hasSizeGreaterThanOrEqualTo(AT_LEAST);
      System.out.printf("daemon e2e %d bursts of %d services with birdc (check_interval 2 s,"
          + " rise/fall 1), worst %d ms:%n%s", seen.size(), SERVICES,
          BirdcBursts.worst(seen).toMillis(), BirdcBursts.describe(seen));
      assertThat(d.log()).doesNotContain("failed to reconfigure");
      // Generous: a loaded machine may add a few hundred ms to a pass; BIRD's 3 s hold, or a
      // second's holdoff after a late pass, goes past it.
      assertThat(BirdcBursts.worst(seen)).isLessThan(Duration.ofMillis(2500));
      long within = seen.stream()
          .filter(b -> b.peerAfterLastDecisive().compareTo(Duration.ofSeconds(1)) <= 0).count();
      // Before the quiet rule of the holdoff, 3 of 20 bursts took a second pass a full holdoff
      // after a late result (about 2 s): a slot's 300 execs spread over the whole interval on
      // this 2-core machine. Now a held change goes out 250 ms after the last one; "every burst
      // within 1 s" stays bin/bench's target, a loaded machine may still stall one burst here.
      assertThat(within).as("bursts within 1 s").isGreaterThanOrEqualTo(seen.size() * 9 / 10);
    }
  }
}
