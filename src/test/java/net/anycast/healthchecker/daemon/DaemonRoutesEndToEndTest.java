package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon process (issue 4's scenarios "through our daemon") against a real BIRD and its BGP
 * peer: what the peer learns is what is asserted. Services are healthy or not by flag files.
 */
@Tag("e2e")
@Timeout(120)
class DaemonRoutesEndToEndTest {
  private static final Duration CONVERGE = Duration.ofSeconds(20);
  private static final IpFamily V4 = IpFamily.IPV4;
  private static final IpFamily V6 = IpFamily.IPV6;

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();

  static Set<IpPrefix> set(String... prefixes) {
    return new TreeSet<>(Arrays.stream(prefixes).map(IpPrefix::parse).toList());
  }

  static BgpTestbed testbed(BgpTestbed.Node kind, Path dir, Set<IpPrefix> routes) throws Exception {
    return BgpTestbed.start(kind, dir.resolve("bird"), List.copyOf(routes));
  }

  @Test
  void serviceFails_routeGoneAtPeer_recovers_routeBack() throws Exception {
    try (BgpTestbed t = testbed(BgpTestbed.Node.BIRD2, dir,
        set("10.1.0.1", "10.1.0.2", "10.1.0.3", "2001:db8:1::1"))) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), true, true)
          .service("a", "10.1.0.1", "10.1.0.3", "2001:db8:1::1")
          .service("b", "10.1.0.2");
      daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, set("10.1.0.1", "10.1.0.2", "10.1.0.3"), CONVERGE);
      t.awaitPeerRoutes(V6, set("2001:db8:1::1"), CONVERGE);

      long t0 = System.nanoTime();
      setup.fail("a");
      t.awaitPeerRoutes(V4, set("10.1.0.2"), CONVERGE);
      long down = System.nanoTime() - t0;
      t.awaitPeerRoutes(V6, set(), CONVERGE);

      t0 = System.nanoTime();
      setup.recover("a");
      t.awaitPeerRoutes(V4, set("10.1.0.1", "10.1.0.2", "10.1.0.3"), CONVERGE);
      long up = System.nanoTime() - t0;
      t.awaitPeerRoutes(V6, set("2001:db8:1::1"), CONVERGE);
      System.out.printf("daemon e2e fail/recover (check_interval 0.3 s, rise/fall 1): flag to"
          + " withdrawn at peer %d ms, flag to announced at peer %d ms%n",
          down / 1_000_000, up / 1_000_000);
    }
  }
}
