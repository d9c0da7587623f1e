package net.anycast.healthchecker.daemon;

import static net.anycast.healthchecker.daemon.DaemonRoutesEndToEndTest.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.bird.PrefixFile;
import net.anycast.healthchecker.daemon.DaemonProcess.CliRun;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator drains (issue 7) through the daemon process and its command line, against a real
 * BIRD and its BGP peer: {@code drain}/{@code undrain} and hand-written hacheck spool files move
 * routes at the peer while the checks go on; an expiring drain ends by itself; a drain survives a
 * restart without the route ever coming back; {@code status} says who is drained.
 *
 * <p>Timing: the target is "the peer changes within 1 s of the command returning". The testbed
 * turns BGP route refresh off on both sessions, which in STACK.md's measurements removed BIRD
 * 2.0.12's occasional 0.2–3 s late update after back-to-back {@code configure}s; so the 1 s is
 * asserted on the prefix file (our part) and on the peer both, and both figures are printed.
 */
@Tag("e2e")
@Timeout(90)
class DaemonDrainEndToEndTest {
  private static final Duration CONVERGE = Duration.ofSeconds(20);
  private static final Duration TARGET = Duration.ofSeconds(1);
  private static final IpFamily V4 = IpFamily.IPV4;
  private static final Set<IpPrefix> ALL = set("10.8.0.1", "10.8.0.2", "10.8.0.3");
  private static final Set<IpPrefix> A = set("10.8.0.1");
  private static final Set<IpPrefix> B = set("10.8.0.2");
  private static final Set<IpPrefix> C = set("10.8.0.3");

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();

  private static BgpTestbed testbed(Path dir) throws Exception {
    return DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir, ALL);
  }

  private static DaemonSetup setup(BgpTestbed t, Path dir) throws Exception {
    return DaemonSetup.of(t, dir.resolve("daemon"), false, true)
        .service("a", "10.8.0.1").service("b", "10.8.0.2").service("c", "10.8.0.3");
  }

  /** Starts a daemon and waits until every service is UP and the peer has every route. */
  private DaemonProcess start(BgpTestbed t, DaemonSetup setup, Set<IpPrefix> atPeer)
      throws Exception {
    DaemonProcess d = daemons.start(t, setup).awaitReady();
    await("every service UP").atMost(CONVERGE).pollInterval(Duration.ofMillis(20))
        .until(() -> d.log().split("status changed to UP from UNKNOWN", -1).length == 4);
    t.awaitPeerRoutes(V4, atPeer, CONVERGE);
    return d;
  }

  @Test
  void drainOneService_peerWithdrawsItWithinASecond_undrain_routeBack() throws Exception {
    try (BgpTestbed t = testbed(dir)) {
      DaemonSetup setup = setup(t, dir);
      DaemonProcess d = start(t, setup, ALL);

      CliRun drain = cli(t, setup, "drain", "-r", "kernel upgrade", "a");
      long returned = System.nanoTime();
      assertThat(drain.exitCode()).as("drain: %s", drain).isZero();
      Duration file = awaitFile(t, without(ALL, A), returned);
      Duration peer = awaitPeer(t, without(ALL, A), returned);
      assertThat(setup.spoolDir().resolve("a")).exists();
      long runs = runs(d, "a");
      await("a's checks go on while drained").atMost(CONVERGE)
          .until(() -> runs(d, "a") >= runs + 3);
      assertThat(t.peerRoutes(V4)).isEqualTo(without(ALL, A));

      CliRun undrain = cli(t, setup, "undrain", "a");
      returned = System.nanoTime();
      assertThat(undrain.exitCode()).as("undrain: %s", undrain).isZero();
      Duration fileBack = awaitFile(t, ALL, returned);
      Duration peerBack = awaitPeer(t, ALL, returned);
      assertThat(setup.spoolDir().resolve("a")).doesNotExist();
      System.out.printf("daemon e2e drain a: prefix file %d ms, peer %d ms after the command"
          + " returned (drain took %d ms to run); undrain: file %d ms, peer %d ms%n",
          file.toMillis(), peer.toMillis(), drain.took().toMillis(), fileBack.toMillis(),
          peerBack.toMillis());
      assertThat(List.of(file, peer, fileBack, peerBack)).allSatisfy(
          took -> assertThat(took).isLessThan(TARGET));
    }
  }

  @Test
  void drainAll_everyRouteWithdrawn_undrainAll_everyRouteBack() throws Exception {
    try (BgpTestbed t = testbed(dir)) {
      DaemonSetup setup = setup(t, dir);
      start(t, setup, ALL);

      CliRun drain = cli(t, setup, "drain", "--all");
      long returned = System.nanoTime();
      assertThat(drain.exitCode()).as("drain --all: %s", drain).isZero();
      Duration peer = awaitPeer(t, set(), returned);
      assertThat(setup.spoolDir().resolve("all")).exists();

      CliRun undrain = cli(t, setup, "undrain", "--all");
      returned = System.nanoTime();
      assertThat(undrain.exitCode()).as("undrain --all: %s", undrain).isZero();
      Duration back = awaitPeer(t, ALL, returned);
      System.out.printf("daemon e2e drain --all: peer empty %d ms after the command returned;"
          + " undrain --all: every route back after %d ms%n", peer.toMillis(), back.toMillis());
      assertThat(peer).isLessThan(TARGET);
      assertThat(back).isLessThan(TARGET);
    }
  }

  @Test
  void drainExpiring_withdrawn_thenAnnouncedAgainByItself_spoolFileGone() throws Exception {
    try (BgpTestbed t = testbed(dir)) {
      DaemonSetup setup = setup(t, dir);
      DaemonProcess d = start(t, setup, ALL);

      CliRun drain = cli(t, setup, "drain", "-e", "2s", "-r", "short", "b");
      long returned = System.nanoTime();
      assertThat(drain.exitCode()).as("drain -e 2s: %s", drain).isZero();
      Path file = setup.spoolDir().resolve("b");
      Instant expiration = expiration(Files.readString(file));
      awaitPeer(t, without(ALL, B), returned);
      Duration back = awaitPeer(t, ALL, returned);
      // The command computes the expiry from its own clock, somewhere in its run: the contract
      // is timed against the expiration it wrote.
      Duration late = Duration.between(expiration, Instant.now());
      await("the daemon deleted the expired spool file").atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(20)).until(() -> !Files.exists(file));
      System.out.printf("daemon e2e drain -e 2s: announced again %d ms after the command"
          + " returned, %d ms after the expiration it wrote%n", back.toMillis(), late.toMillis());
      assertThat(late).isBetween(Duration.ZERO, TARGET);
      assertThat(d.isAlive()).isTrue();
    }
  }

  @Test
  void handWrittenSpoolFiles_legacyTextAndJson_honoured_removed_routesBack() throws Exception {
    try (BgpTestbed t = testbed(dir)) {
      DaemonSetup setup = setup(t, dir);
      start(t, setup, ALL);
      Path spool = setup.spoolDir();

      // As an operator would, with hacheck's names: "<service>" and "<service>:<port>".
      DaemonProcess.exec(List.of("/bin/sh", "-c", "echo maintenance > " + spool.resolve("a")));
      long wrote = System.nanoTime();
      Duration legacy = awaitPeer(t, without(ALL, A), wrote);
      DaemonProcess.exec(List.of("/bin/sh", "-c", "printf '%s' '{\"reason\": \"db upgrade\","
          + " \"expiration\": null, \"creation\": 1700000000.5}' > " + spool.resolve("c:5432")));
      wrote = System.nanoTime();
      Duration json = awaitPeer(t, B, wrote);

      DaemonProcess.exec(List.of("rm", spool.resolve("a").toString(),
          spool.resolve("c:5432").toString()));
      long removed = System.nanoTime();
      Duration back = awaitPeer(t, ALL, removed);
      System.out.printf("daemon e2e hand-written spool files: legacy text honoured at the peer"
          + " after %d ms, JSON after %d ms; rm: routes back after %d ms%n", legacy.toMillis(),
          json.toMillis(), back.toMillis());
      assertThat(List.of(legacy, json, back)).allSatisfy(
          took -> assertThat(took).isLessThan(TARGET));
    }
  }

  @Test
  void restartWhileDrained_peerNeverRelearnsTheDrainedRoute() throws Exception {
    try (BgpTestbed t = testbed(dir)) {
      DaemonSetup setup = setup(t, dir).daemon("on_shutdown", "keep");
      DaemonProcess first = start(t, setup, ALL);
      assertThat(cli(t, setup, "drain", "-r", "restart test", "b").exitCode()).isZero();
      Set<IpPrefix> drained = without(ALL, B);
      t.awaitPeerRoutes(V4, drained, CONVERGE);

      try (PeerWatch watch = PeerWatch.start(t, Map.of(V4, drained))) {
        first.signal("TERM");
        assertThat(first.awaitExit(CONVERGE)).isZero();
        DaemonProcess second = start(t, setup, drained);
        long runs = runs(second, "b");
        // Well after: b's check passes again and again while it stays out.
        await("b checked after the restart").atMost(CONVERGE)
            .until(() -> runs(second, "b") >= runs + 5);
        watch.awaitPolls(50);
        assertThat(watch.deviations()).as("what the peer had that it should not").isEmpty();
        System.out.printf("daemon e2e restart while b drained: peer polled %d times, never"
            + " had b's route%n", watch.polls());
      }
    }
  }

  @Test
  void status_exitCodes_andJsonNamesTheDrainedServiceWithItsReason() throws Exception {
    try (BgpTestbed t = testbed(dir)) {
      DaemonSetup setup = setup(t, dir);
      start(t, setup, ALL);

      CliRun allUp = cli(t, setup, "status");
      assertThat(allUp.exitCode()).as("status with every service up: %s", allUp).isZero();

      assertThat(cli(t, setup, "drain", "-r", "disk swap", "b").exitCode()).isZero();
      t.awaitPeerRoutes(V4, without(ALL, B), CONVERGE);
      CliRun oneDrained = cli(t, setup, "status");
      assertThat(oneDrained.exitCode()).as("status with b drained: %s", oneDrained).isOne();
      assertThat(oneDrained.stdout()).contains("b").contains("disk swap");

      CliRun json = cli(t, setup, "status", "--json");
      assertThat(json.exitCode()).as("status --json with b drained: %s", json).isOne();
      Map<String, String> leaves = JsonLeaves.of(json.stdout());
      assertThat(leaves).as("status --json").containsEntry("services.1.name", "\"b\"")
          .containsEntry("services.1.drained", "true")
          .containsEntry("services.1.drain.reason", "\"disk swap\"")
          .containsEntry("services.0.drained", "false").containsEntry("services.2.drained", "false")
          .containsEntry("ok", "false");
    }
  }

  /** Returns the {@code expiration} (a Unix time) of a spool file in JSON. */
  private static Instant expiration(String spoolFile) {
    Matcher m = Pattern.compile("\"expiration\": *([0-9.]+)").matcher(spoolFile);
    assertThat(m.find()).as("expiration in %s", spoolFile).isTrue();
    return Instant.ofEpochMilli(new BigDecimal(m.group(1)).movePointRight(3).longValue());
  }

  /** Runs the command line and times it. */
  private static CliRun cli(BgpTestbed t, DaemonSetup setup, String... args) throws Exception {
    return DaemonProcess.cli(t, setup, args);
  }

  private static Set<IpPrefix> without(Set<IpPrefix> all, Set<IpPrefix> gone) {
    Set<IpPrefix> out = new TreeSet<>(all);
    out.removeAll(gone);
    return out;
  }

  /** Waits until the IPv4 prefix file holds exactly {@code expected}; returns the time since. */
  private static Duration awaitFile(BgpTestbed t, Set<IpPrefix> expected, long since) {
    Set<IpPrefix> withDummy = new TreeSet<>(expected);
    withDummy.add(BgpTestbed.DUMMY4);
    await("prefix file " + expected).atMost(CONVERGE).pollInterval(Duration.ofMillis(5))
        .until(() -> PrefixFile.parse(Files.readString(t.prefixFile(V4))).prefixes()
            .equals(withDummy));
    return Duration.ofNanos(System.nanoTime() - since);
  }

  /** Waits until the peer has exactly {@code expected}; returns the time since {@code since}. */
  private static Duration awaitPeer(BgpTestbed t, Set<IpPrefix> expected, long since) {
    await("peer routes " + expected).atMost(CONVERGE).pollInterval(Duration.ofMillis(10))
        .ignoreExceptions().until(() -> t.peerRoutes(V4).equals(expected));
    return Duration.ofNanos(System.nanoTime() - since);
  }

  /** Returns how many checks of {@code service} the daemon started so far. */
  private static long runs(DaemonProcess d, String service) throws Exception {
    // The text log's thread name column is the service's name.
    return Pattern.compile(" INFO +" + Pattern.quote(service) + " +running ").matcher(d.log())
        .results().count();
  }
}
