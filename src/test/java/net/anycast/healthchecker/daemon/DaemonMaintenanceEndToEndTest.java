package net.anycast.healthchecker.daemon;

import static net.anycast.healthchecker.daemon.DaemonRoutesEndToEndTest.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.bird.PrefixFile;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the daemon process (issue 7) against a real BIRD and its BGP peer: a stop freezes
 * health, so checks killed together with the daemon (systemd's {@code KillMode=control-group})
 * move no route; {@code on_shutdown = withdraw} withdraws every route, waits for BIRD, then
 * {@code shutdown_grace}; a second SIGTERM cuts the wait short.
 */
@Tag("e2e")
@Timeout(120)
class DaemonMaintenanceEndToEndTest {
  private static final Duration CONVERGE = Duration.ofSeconds(20);
  private static final IpFamily V4 = IpFamily.IPV4;
  private static final int STOPS = 20;
  private static final int SERVICES = 20;

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();

  @Test
  @Timeout(240)
  void stop_sigtermToDaemonAndEveryCheckAtOnce_20times_prefixFileAndPeerUnchanged()
      throws Exception {
    List<String> names = IntStream.range(0, SERVICES).mapToObj(i -> "s" + i).toList();
    Set<IpPrefix> all = new TreeSet<>();
    IntStream.range(0, SERVICES).forEach(i -> all.add(IpPrefix.parse("10.7.0." + (i + 1) + "/32")));
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir, all)) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true);
      for (int i = 0; i < SERVICES; i++) {
        // Runs 0.2 s of every 0.3 s: most checks are running whenever the stop comes.
        setup.checkedBy(names.get(i), "/bin/sh -c 'sleep 0.2; test ! -e "
            + setup.flag(names.get(i)) + "'", "10.7.0." + (i + 1));
      }
      Path file = t.prefixFile(V4);
      PeerWatch watch = null;
      long hit = 0;
      long notCounted = 0;
      long t0 = System.nanoTime();
      try {
        for (int stop = 0; stop < STOPS; stop++) {
          DaemonProcess d = daemons.start(t, setup).awaitReady();
          await("every service UP").atMost(CONVERGE).pollInterval(Duration.ofMillis(20))
              .until(() -> count(d.log(), "status changed to UP from UNKNOWN") == SERVICES);
          if (watch == null) {
            t.awaitPeerRoutes(V4, all, CONVERGE);
            watch = PeerWatch.start(t, Map.of(V4, all));
          }
          await("checks running").atMost(CONVERGE).pollInterval(Duration.ofMillis(5))
              .until(() -> d.descendants() >= 6);
          String before = Files.readString(file);
          int logged = d.log().length();

          hit += d.terminateWithDescendants(stop % 2 == 1);
          assertThat(d.awaitExit(CONVERGE)).as("exit code of stop %d", stop).isZero();

          assertThat(Files.readString(file)).as("prefix file after stop %d", stop)
              .isEqualTo(before);
          assertThat(PrefixFile.parse(Files.readString(file)).prefixes())
              .containsAll(all);
          String after = d.log().substring(logged);
          assertThat(after).as("log of stop %d", stop)
              .doesNotContain("status changed to DOWN").doesNotContain("going down")
              .contains("stopped; the prefix files are left as they are");
          notCounted += count(after, "check was killed by SIGTERM, not by this daemon");
        }
        watch.awaitPolls(10);
        assertThat(watch.deviations()).as("what the peer had that it should not").isEmpty();
      } finally {
        if (watch != null) {
          watch.close();
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.printf("daemon e2e %d stops (SIGTERM to daemon and checks at once, %d services):"
          + " %d check processes signalled, %d runs logged as killed from outside and not"
          + " counted, peer polled %d times without a change, %d ms in all (%d ms a"
          + " start-and-stop)%n", STOPS, SERVICES, hit, notCounted, watch.polls(), took.toMillis(),
          took.toMillis() / STOPS);
      assertThat(hit).as("the stops hit running checks").isGreaterThan(STOPS);
    }
  }

  @Test
  void onShutdownWithdraw_peerHasWithdrawnEverythingBeforeTheProcessExits() throws Exception {
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir,
        set("10.7.1.1", "10.7.1.2", "10.7.1.3"))) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .service("a", "10.7.1.1", "10.7.1.2").service("b", "10.7.1.3")
          .daemon("on_shutdown", "withdraw").daemon("shutdown_grace", "1");
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, set("10.7.1.1", "10.7.1.2", "10.7.1.3"), CONVERGE);

      d.signal("TERM");
      long t0 = System.nanoTime();
      long deadline = t0 + Duration.ofSeconds(45).toNanos();
      long emptyAt = -1;
      boolean aliveWhenEmpty = false;
      while (d.isAlive() && System.nanoTime() < deadline) {
        Set<IpPrefix> routes = t.peerRoutes(V4);
        if (emptyAt < 0 && routes.isEmpty()) {
          emptyAt = System.nanoTime();
          aliveWhenEmpty = d.isAlive();
        }
        assertThat(emptyAt < 0 || routes.isEmpty()).as("the peer learned %s again", routes)
            .isTrue();
        Thread.sleep(10); // paces the polls
      }
      long exitAt = System.nanoTime();
      assertThat(d.awaitExit(CONVERGE)).isZero();

      assertThat(emptyAt).as("the peer lost every route before the daemon exited")
          .isPositive();
      assertThat(aliveWhenEmpty).as("the daemon was alive when the peer had no route").isTrue();
      assertThat(t.peerRoutes(V4)).isEmpty();
      Duration withdrawn = Duration.ofNanos(emptyAt - t0);
      Duration graceSeen = Duration.ofNanos(exitAt - emptyAt);
      System.out.printf("daemon e2e on_shutdown = withdraw, shutdown_grace 1 s: peer empty %d ms"
          + " after SIGTERM, daemon exited %d ms later%n", withdrawn.toMillis(),
          graceSeen.toMillis());
      // BIRD confirms the configure before its BGP update reaches the peer, so the grace seen
      // from the peer is a little shorter than shutdown_grace.
      assertThat(graceSeen).isGreaterThan(Duration.ofMillis(800));
      assertThat(d.log()).contains("BIRD confirmed the withdrawal")
          .contains("waiting shutdown_grace 1000 ms")
          .contains("stopped; every prefix was withdrawn");
      assertThat(PrefixFile.parse(Files.readString(t.prefixFile(V4))).prefixes())
          .containsExactly(BgpTestbed.DUMMY4);
    }
  }

  @Test
  void onShutdownWithdraw_secondSigterm_exitsAtOnce() throws Exception {
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir,
        set("10.7.2.1"))) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .service("a", "10.7.2.1")
          .daemon("on_shutdown", "withdraw").daemon("shutdown_grace", "60");
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, set("10.7.2.1"), CONVERGE);

      d.signal("TERM");
      d.awaitLog("waiting shutdown_grace 60000 ms", CONVERGE);
      t.awaitPeerRoutes(V4, set(), CONVERGE);
      assertThat(d.isAlive()).as("the daemon waits out its grace").isTrue();
      long t0 = System.nanoTime();
      d.signal("TERM");
      assertThat(d.awaitExit(CONVERGE)).isZero();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.printf("daemon e2e second SIGTERM during shutdown_grace 60 s: exited after %d"
          + " ms%n", took.toMillis());
      assertThat(took).isLessThan(Duration.ofSeconds(3));
      assertThat(d.log()).contains("received SIGTERM again, exiting now without waiting for the withdrawal")
          .contains("shutdown_grace cut short");
    }
  }

  private static long count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
