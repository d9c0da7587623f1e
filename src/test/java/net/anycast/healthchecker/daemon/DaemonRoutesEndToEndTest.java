package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.bird.PrefixFile;
import net.anycast.healthchecker.bird.Holdoff;
import net.anycast.healthchecker.bird.ReconfigureResult;
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
  private static final String FAILURES_V4 =
      "anycast_healthchecker_bird_reconfigure_failures_total{ip_version=\"4\"}";
  private static final int KILLS = 5;

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

      // Flips right after the peer changed, then flips once the holdoff after a reconfigure is
      // surely over.
      Duration[] right = failAndRecover(t, setup, Duration.ZERO);
      Duration[] isolated = failAndRecover(t, setup, Holdoff.DEFAULT.max().plusMillis(500));
      System.out.printf("daemon e2e fail/recover (check_interval 0.3 s, rise/fall 1), flag flip to"
          + " peer change: right after a reconfigure withdrawn %d ms, announced %d ms;"
          + " isolated withdrawn %d ms, announced %d ms%n", right[0].toMillis(),
          right[1].toMillis(), isolated[0].toMillis(), isolated[1].toMillis());
    }
  }

  /**
   * Fails and recovers service "a", each flip {@code spacing} after the peer's last change;
   * returns how long from each flip to the peer's change.
   */
  private static Duration[] failAndRecover(BgpTestbed t, DaemonSetup setup, Duration spacing)
      throws Exception {
    Thread.sleep(spacing.toMillis()); // positions the flip; nothing waits on it
    long t0 = System.nanoTime();
    setup.fail("a");
    t.awaitPeerRoutes(V4, set("10.1.0.2"), CONVERGE);
    Duration down = Duration.ofNanos(System.nanoTime() - t0);
    t.awaitPeerRoutes(V6, set(), CONVERGE);
    Thread.sleep(spacing.toMillis());
    t0 = System.nanoTime();
    setup.recover("a");
    t.awaitPeerRoutes(V4, set("10.1.0.1", "10.1.0.2", "10.1.0.3"), CONVERGE);
    Duration up = Duration.ofNanos(System.nanoTime() - t0);
    t.awaitPeerRoutes(V6, set("2001:db8:1::1"), CONVERGE);
    return new Duration[] {down, up};
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
          .check("check_interval", "3");
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
      // The peer may learn a change before the pass that caused it shows in the metrics.
      awaitApplied(d, 201);
      long before = d.reconfigures(4);

      flipMidSlot(slots, Duration.ofSeconds(3), () -> setup.fail("all"));
      Duration gone = t.awaitPeerRoutes(V4, set("10.2.9.9"), CONVERGE);
      awaitApplied(d, 1);
      long withdraw = d.reconfigures(4) - before;
      flipMidSlot(slots, Duration.ofSeconds(3), () -> setup.recover("all"));
      Duration back = t.awaitPeerRoutes(V4, announced, CONVERGE);
      awaitApplied(d, 201);
      long announce = d.reconfigures(4) - before - withdraw;
      System.out.printf("daemon e2e burst of 200 (check_interval 3 s): withdrawn at peer %d ms"
          + " after the flag with %d reconfigures, announced again after %d ms with %d%n",
          gone.toMillis(), withdraw, back.toMillis(), announce);
      assertThat(withdraw).isBetween(1L, 2L);
      assertThat(announce).isBetween(1L, 2L);
    }
  }

  @Test
  void birdStoppedWhileServicesChange_thenStarted_peerConvergesWithoutFurtherChange()
      throws Exception {
    try (BgpTestbed t =
        testbed(BgpTestbed.Node.BIRD2, dir, set("10.3.0.1", "10.3.0.2", "10.3.0.3"))) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .service("a", "10.3.0.1").service("b", "10.3.0.2").service("c", "10.3.0.3");
      setup.fail("c");
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, set("10.3.0.1", "10.3.0.2"), CONVERGE);

      t.stopNode();
      setup.fail("a");
      setup.recover("c");
      await("reconfigure failures while BIRD is down").atMost(CONVERGE)
          .until(() -> d.metric(FAILURES_V4) >= 2);
      assertThat(d.log()).contains("failed to reconfigure IPv4 BIRD via control socket");

      t.startNode();
      Duration converged = t.awaitPeerRoutes(V4, set("10.3.0.2", "10.3.0.3"), CONVERGE);
      await("the daemon confirms BIRD took the file").atMost(CONVERGE).until(() -> {
        String log = d.log();
        return log.lastIndexOf("reconfigured IPv4 BIRD") > log.lastIndexOf("failed to reconfigure");
      });
      System.out.printf("daemon e2e BIRD stopped and started: peer converged %d ms after BIRD"
          + " started%n", converged.toMillis());
      assertThat(converged).isLessThan(Duration.ofSeconds(15));
      assertThat(d.isAlive()).isTrue();
    }
  }

  /**
   * BIRD killed with SIGKILL while the daemon reconfigures it again and again (checks that pass
   * or fail at random: a burst that never ends), three times: every kill lands during the
   * daemon's passes, some in a call. The daemon keeps running, retries, and once BIRD is back and
   * the services settle the peer has exactly what they say.
   */
  @Test
  void birdKilledWithSigkillDuringABurstOfPasses_restarted_peerConverges() throws Exception {
    List<String> names = IntStream.range(0, 20).mapToObj(i -> "b" + i).toList();
    Set<IpPrefix> routes = new TreeSet<>();
    names.forEach(n -> routes.add(IpPrefix.parse("10.9.0." + (names.indexOf(n) + 1) + "/32")));
    Random random = new Random(20261202);
    try (BgpTestbed t = testbed(BgpTestbed.Node.BIRD2, dir, routes)) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .check("check_interval", "0.2");
      Path chaos = setup.dir().resolve("chaos");
      for (String n : names) {
        setup.checkedBy(n, "/bin/sh -c 'if [ -e " + chaos + " ]; then [ $(( $$ %% 2 )) -eq 0 ];"
            + " else test ! -e " + setup.flag(n) + "; fi'", "10.9.0." + (names.indexOf(n) + 1));
      }
      Files.writeString(chaos, "");
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      for (int kill = 0; kill < 3; kill++) {
        Thread.sleep(300 + random.nextInt(700)); // where the kill lands; nothing waits on it
        long failuresBefore = (long) d.metric(FAILURES_V4);
        t.killNode();
        await("a reconfigure failed against the killed BIRD").atMost(CONVERGE)
            .until(() -> d.metric(FAILURES_V4) > failuresBefore);
        t.startNode();
      }
      Files.delete(chaos);
      Set<IpPrefix> expected = new TreeSet<>();
      for (int i = 0; i < names.size(); i++) {
        if (i % 2 == 0) {
          expected.add(IpPrefix.parse("10.9.0." + (i + 1) + "/32"));
        } else {
          setup.fail(names.get(i));
        }
      }
      Duration took = t.awaitPeerRoutes(V4, expected, CONVERGE);
      System.out.printf("daemon e2e BIRD SIGKILLed 3 times mid-burst: peer exact %d ms after the"
          + " services settled%n", took.toMillis());
      assertThat(d.isAlive()).isTrue();
      assertThat(t.configureCheck(V4).confirmed()).isTrue();
    }
  }

  @Test
  void sigkillDuringBurst_fileAlwaysAccepted_andRestartConverges() throws Exception {
    List<String> names = IntStream.range(0, 20).mapToObj(i -> "k" + i).toList();
    Set<IpPrefix> routes = new TreeSet<>();
    names.forEach(n -> routes.add(IpPrefix.parse("10.5.0." + (names.indexOf(n) + 1) + "/32")));
    Random random = new Random(20261122);
    try (BgpTestbed t = testbed(BgpTestbed.Node.BIRD2, dir, routes)) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .check("check_interval", "0.2");
      Path chaos = setup.dir().resolve("chaos");
      for (String n : names) {
        // While "chaos" exists each check passes or fails by its shell's pid: a burst that
        // never ends. ("%%" is a literal "%" to configparser interpolation.)
        setup.checkedBy(n, "/bin/sh -c 'if [ -e " + chaos + " ]; then [ $(( $$ %% 2 )) -eq 0 ];"
            + " else test ! -e " + setup.flag(n) + "; fi'", "10.5.0." + (names.indexOf(n) + 1));
      }
      Files.writeString(chaos, "");
      Path file = t.prefixFile(V4);
      Set<String> versions = new HashSet<>();
      for (int kill = 0; kill < KILLS; kill++) {
        DaemonProcess d = daemons.start(t, setup).awaitReady();
        Thread.sleep(200 + random.nextInt(1300)); // where the kill lands; nothing waits on it
        d.kill();
        ReconfigureResult check = t.configureCheck(V4);
        assertThat(check.confirmed()).as("configure check after kill %d: %s", kill, check).isTrue();
        PrefixFile.Parsed parsed = PrefixFile.parse(Files.readString(file));
        assertThat(parsed.variable()).contains(BgpTestbed.VAR4);
        assertThat(parsed.prefixes()).first().isEqualTo(BgpTestbed.DUMMY4);
        versions.add(Files.readString(file));
      }
      assertThat(versions).as("the daemons really wrote between kills")
          .hasSizeGreaterThan(KILLS / 2);

      Files.delete(chaos);
      Set<IpPrefix> expected = new TreeSet<>();
      for (int i = 0; i < names.size(); i++) {
        if (i % 3 == 0) {
          expected.add(IpPrefix.parse("10.5.0." + (i + 1) + "/32"));
        } else {
          setup.fail(names.get(i));
        }
      }
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      Duration took = t.awaitPeerRoutes(V4, expected, CONVERGE);
      System.out.printf("daemon e2e after %d SIGKILLs mid-burst: restarted daemon converged the"
          + " peer %d ms after it was ready%n", KILLS, took.toMillis());
      try (var files = Files.list(file.getParent())) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("no temp file left behind").containsExactlyInAnyOrder("6", "anycast-prefixes.conf");
      }
      assertThat(d.isAlive()).isTrue();
    }
  }

  @Test
  void prefixDirectoryReadOnly_daemonKeepsRunning_convergesOnceWritable() throws Exception {
    try (BgpTestbed t = testbed(BgpTestbed.Node.BIRD2, dir, set("10.4.0.1", "10.4.0.2"))) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .service("a", "10.4.0.1").service("b", "10.4.0.2");
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, set("10.4.0.1", "10.4.0.2"), CONVERGE);

      // Root ignores file modes, so "read-only" is a read-only bind mount; made in the daemon's
      // own mount namespace, it ends with the daemon whatever happens.
      String prefixDir = t.prefixFile(V4).getParent().toString();
      d.inMountNamespace("mount", "--bind", prefixDir, prefixDir);
      d.inMountNamespace("mount", "-o", "remount,ro,bind", prefixDir);
      setup.fail("a");
      await("write failures logged").atMost(CONVERGE).until(() ->
          d.log().split("failed to write IPv4 prefix file", -1).length > 2);
      assertThat(d.log())
          .containsPattern("ERROR +\\S+ +failed to write IPv4 prefix file .*Read-only file system");
      assertThat(d.isAlive()).isTrue();
      assertThat(t.peerRoutes(V4)).isEqualTo(set("10.4.0.1", "10.4.0.2"));

      d.inMountNamespace("umount", prefixDir);
      Duration took = t.awaitPeerRoutes(V4, set("10.4.0.2"), CONVERGE);
      System.out.printf("daemon e2e read-only prefix directory: peer converged %d ms after it"
          + " became writable%n", took.toMillis());
      assertThat(d.isAlive()).isTrue();
    }
  }

  @Test
  void daemonRestart_withServicesStillUnknown_neverFlapsRoutesAtPeer() throws Exception {
    try (BgpTestbed t = testbed(BgpTestbed.Node.BIRD2, dir,
        set("10.6.0.1", "10.6.0.2", "2001:db8:6::1"))) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), true, true)
          .service("a", "10.6.0.1", "2001:db8:6::1").service("b", "10.6.0.2");
      Set<IpPrefix> v4 = set("10.6.0.1", "10.6.0.2");
      Set<IpPrefix> v6 = set("2001:db8:6::1");
      DaemonProcess first = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, v4, CONVERGE);
      t.awaitPeerRoutes(V6, v6, CONVERGE);

      try (PeerWatch watch = PeerWatch.start(t, Map.of(V4, v4, V6, v6))) {
        first.signal("TERM");
        assertThat(first.awaitExit(CONVERGE)).isZero();
        // The new daemon's services need 4 passing checks (≈ 1.5 s) to leave UNKNOWN.
        setup.check("check_rise", "4").check("check_interval", "0.5");
        DaemonProcess second = daemons.start(t, setup);
        second.awaitLog("ready: ", DaemonProcess.START);
        assertThat(second.log()).containsPattern("ready: 2 services: 2 unknown");
        await("both services rose").atMost(CONVERGE).until(() ->
            second.log().split("status changed to UP from UNKNOWN", -1).length == 3);
        watch.awaitPolls(10); // and a few more looks after both rose
        assertThat(watch.deviations()).as("what the peer had that it should not").isEmpty();
        System.out.printf("daemon e2e restart: peer polled %d times, routes never changed%n",
            watch.polls());
      }
    }
  }

  @Test
  void bird16TwoDaemons_birdcCommands_serviceFails_routesGoneAtPeer_recovers_back()
      throws Exception {
    try (BgpTestbed t = testbed(BgpTestbed.Node.BIRD16, dir,
        set("10.8.0.1", "10.8.0.2", "2001:db8:8::1", "2001:db8:8::2"))) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), true, false)
          .service("a", "10.8.0.1", "2001:db8:8::1").service("b", "10.8.0.2", "2001:db8:8::2");
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, set("10.8.0.1", "10.8.0.2"), CONVERGE);
      t.awaitPeerRoutes(V6, set("2001:db8:8::1", "2001:db8:8::2"), CONVERGE);

      setup.fail("a");
      t.awaitPeerRoutes(V4, set("10.8.0.2"), CONVERGE);
      t.awaitPeerRoutes(V6, set("2001:db8:8::2"), CONVERGE);
      setup.recover("a");
      t.awaitPeerRoutes(V4, set("10.8.0.1", "10.8.0.2"), CONVERGE);
      t.awaitPeerRoutes(V6, set("2001:db8:8::1", "2001:db8:8::2"), CONVERGE);
      assertThat(d.log())
          .contains("reconfigured IPv4 BIRD via '" + t.reconfigureCommand(V4) + "'")
          .contains("reconfigured IPv6 BIRD via '" + t.reconfigureCommand(V6) + "'")
          .doesNotContain("failed to reconfigure");
      assertThat(t.reconfigureCommand(V6)).contains("birdc6");
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
    Thread.sleep(interval.dividedBy(2).toMillis()); // positions the flip; nothing waits on it
    flip.run();
  }

  @FunctionalInterface
  interface Flip {
    void run() throws Exception;
  }

  /** Waits until the daemon's metrics say BIRD confirmed {@code prefixes} IPv4 prefixes. */
  private static void awaitApplied(DaemonProcess d, int prefixes) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50)).until(() -> d.metric(
        "anycast_healthchecker_bird_applied_prefixes{ip_version=\"4\"}") == prefixes);
  }
}
