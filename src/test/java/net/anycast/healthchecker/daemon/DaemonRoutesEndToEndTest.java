package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
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

  @Test
  void twoHundredServicesFailAtOnce_allGoneAtPeer_withAtMostTwoReconfigures() throws Exception {
    Set<IpPrefix> all = new TreeSet<>();
    for (int i = 0; i < 200; i++) {
      all.add(IpPrefix.parse("10.2." + (i / 100) + "." + (i % 100 + 1) + "/32"));
    }
    Set<IpPrefix> routes = new TreeSet<>(all);
    routes.add(IpPrefix.parse("10.2.9.9/32"));
    try (BgpTestbed t = testbed(BgpTestbed.Node.BIRD2, dir, routes)) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .check("check_interval", "2");
      String shared = "/bin/sh -c 'test ! -e " + setup.flag("all") + "'";
      int i = 0;
      for (IpPrefix p : all) {
        setup.checkedBy("s" + i++, shared, p.toString());
      }
      // Its check runs in the same slots as the 200 (no splay): each line marks a slot's start.
      Path slots = setup.dir().resolve("slots");
      setup.checkedBy("clock", "/bin/sh -c 'echo >> " + slots + "'", "10.2.9.9");
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      Set<IpPrefix> announced = new TreeSet<>(routes);
      t.awaitPeerRoutes(V4, announced, CONVERGE);
      long before = d.reconfigures(4);

      flipMidSlot(slots, Duration.ofSeconds(2), () -> setup.fail("all"));
      Duration gone = t.awaitPeerRoutes(V4, set("10.2.9.9"), CONVERGE);
      long withdraw = d.reconfigures(4) - before;
      flipMidSlot(slots, Duration.ofSeconds(2), () -> setup.recover("all"));
      Duration back = t.awaitPeerRoutes(V4, announced, CONVERGE);
      long announce = d.reconfigures(4) - before - withdraw;
      System.out.printf("daemon e2e burst of 200 (check_interval 2 s): withdrawn at peer %d ms"
          + " after the flag with %d reconfigures, announced again after %d ms with %d%n",
          gone.toMillis(), withdraw, back.toMillis(), announce);
      assertThat(withdraw).isBetween(1L, 2L);
      assertThat(announce).isBetween(1L, 2L);
    }
  }

  /**
   * Runs {@code flip} half a check interval after a slot starts, so that every check of the next
   * slot sees it and none of the current one does: "at the same moment" for all services.
   */
  static void flipMidSlot(Path slots, Duration interval, Flip flip) throws Exception {
    long seen = Files.exists(slots) ? Files.readAllLines(slots).size() : 0;
    await("next check slot").atMost(interval.multipliedBy(3)).pollInterval(Duration.ofMillis(10))
        .until(() -> Files.readAllLines(slots).size() > seen);
    Thread.sleep(interval.dividedBy(2).toMillis()); // positions the flip; correctness never waits on it
    flip.run();
  }

  @FunctionalInterface
  interface Flip {
    void run() throws Exception;
  }
}
