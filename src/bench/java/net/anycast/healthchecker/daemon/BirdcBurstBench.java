package net.anycast.healthchecker.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.anycast.healthchecker.bird.BgpTestbed;

/**
 * Issue 15's target for {@code bin/bench --only=birdc-burst}: with the default
 * {@code bird_reconfigure_cmd} ({@code birdc configure}, no {@code bird_socket}), 20 bursts of
 * 300 services, the peer exact ≤ 1 s after the last decisive check in every one. The same
 * scenario as the end-to-end test ({@link BirdcBursts}), here with the strict bound; its own
 * testbed and daemon (the daemon runs from the test classpath, as in the end-to-end suite).
 */
public final class BirdcBurstBench {
  /**
   * What one run found: how many bursts, how many of them had the peer exact within
   * {@code bound}, the longest time from a last decisive check to the peer, and one line per
   * burst.
   */
  public record Result(int bursts, long withinBound, Duration worst, String text) {
    static Result of(List<BirdcBursts.Burst> seen, Duration bound) {
      return new Result(seen.size(), seen.stream()
          .filter(b -> b.peerAfterLastDecisive().compareTo(bound) <= 0).count(),
          BirdcBursts.worst(seen), BirdcBursts.describe(seen));
    }
  }

  private BirdcBurstBench() {}

  /**
   * Runs {@code bursts} bursts of {@code services} services checked every {@code interval}; counts
   * those within {@code bound}.
   */
  public static Result run(Path dir, int services, int bursts, Duration interval, Duration bound)
      throws Exception {
    Files.createDirectories(dir);
    try (BgpTestbed t = BgpTestbed.start(BgpTestbed.Node.BIRD2, dir.resolve("bird"),
        List.copyOf(BirdcBursts.prefixes(services)))) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, false)
          .daemon("loglevel", System.getProperty("bench.loglevel", "warning"));
      BirdcBursts scenario = new BirdcBursts(t, setup, services, interval);
      DaemonProcess d = DaemonProcess.start(t, setup, dir.resolve("daemon.log"),
          java.util.Map.of());
      try {
        List<BirdcBursts.Burst> seen = scenario.run(d, bursts, 20261202L, Duration.ofSeconds(60),
            Duration.ofHours(1));
        return Result.of(seen, bound);
      } finally {
        d.close();
      }
    }
  }
}
