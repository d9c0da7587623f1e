package net.anycast.healthchecker.daemon;

import static net.anycast.healthchecker.daemon.DaemonRoutesEndToEndTest.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.daemon.DaemonProcess.CliRun;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload without a restart (issue 13) through the daemon process, its {@code reload} command and
 * SIGHUP, against a real BIRD and its BGP peer. What is asserted is what the peer has, per prefix
 * ({@link PeerEvents}: every route learned, lost or learned again), and the peer's own count of
 * accepted BGP updates and withdraws, which misses no flap however short.
 */
@Tag("e2e")
@Timeout(300)
class DaemonReloadEndToEndTest {
  private static final Duration CONVERGE = Duration.ofSeconds(30);
  private static final IpFamily V4 = IpFamily.IPV4;

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();

  private static IpPrefix p(String address) {
    return IpPrefix.parse(address + "/32");
  }

  private Path peerSocket() {
    return dir.resolve("bird/peer.ctl"); // where DaemonRoutesEndToEndTest.testbed puts the peer
  }

  @Test
  void fiftyServices_reloadAddsRemovesChangesIntervalAndPrefix_peerSeesExactlyThose()
      throws Exception {
    Set<IpPrefix> fifty = new TreeSet<>();
    IntStream.range(0, 50).forEach(i -> fifty.add(p("10.13.0." + (i + 1))));
    IpPrefix added = p("10.13.1.1");
    IpPrefix movedTo = p("10.13.1.4");
    Set<IpPrefix> routes = new TreeSet<>(fifty);
    routes.addAll(Set.of(added, movedTo));
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir, routes)) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true);
      IntStream.range(0, 50).forEach(i -> setup.service(name(i), "10.13.0." + (i + 1)));
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, fifty, CONVERGE);
      awaitApplied(d, 50);

      // A reload that moves no route: the prefix file is not rewritten, BIRD not reconfigured.
      String file = Files.readString(t.prefixFile(V4));
      long configures = d.reconfigures(4);
      setup.set(name(10), "check_timeout", "5").write();
      CliRun quiet = DaemonProcess.cli(t, setup, "reload");
      assertThat(quiet.exitCode()).as("reload: %s", quiet).isZero();
      assertThat(quiet.stdout()).contains("changed check of s10 (check_timeout)");
      long runs = runs(d, name(10));
      await("s10's new check ran").atMost(CONVERGE).until(() -> runs(d, name(10)) >= runs + 3);
      assertThat(Files.readString(t.prefixFile(V4))).isEqualTo(file);
      assertThat(d.reconfigures(4)).isEqualTo(configures);

      try (PeerEvents events = PeerEvents.start(peerSocket())) {
        PeerEvents.Imports before = PeerEvents.imports(peerSocket());
        setup.remove(name(0));
        setup.set(name(1), "check_interval", "1");
        setup.set(name(3), "ip_prefix", movedTo.toString());
        setup.service("n", added.addressText()).write();
        CliRun reload = DaemonProcess.cli(t, setup, "reload");
        assertThat(reload.exitCode()).as("reload: %s", reload).isZero();
        assertThat(reload.stdout()).contains("added n", "removed s00",
            "changed check of s01 (check_interval)", "changed ip_prefix of s03",
            "services: 1 added, 1 removed, 1 check changed, 1 routes changed, 47 unchanged");

        Set<IpPrefix> expected = new TreeSet<>(fifty);
        expected.removeAll(Set.of(p("10.13.0.1"), p("10.13.0.4")));
        expected.addAll(Set.of(movedTo, added));
        Duration converged = t.awaitPeerRoutes(V4, expected, CONVERGE);
        long s01 = runs(d, name(1));
        await("s01's new check ran twice").atMost(CONVERGE)
            .until(() -> runs(d, name(1)) >= s01 + 2);
        events.awaitPolls(50);

        assertThat(events.events()).as("every change the peer saw").containsOnlyKeys(
            p("10.13.0.1"), p("10.13.0.4"), movedTo, added);
        assertThat(events.events().values()).allSatisfy(e -> assertThat(e).hasSize(1));
        assertThat(events.events().get(p("10.13.0.1")).getFirst()).startsWith("-");
        assertThat(events.events().get(p("10.13.0.4")).getFirst()).startsWith("-");
        assertThat(events.events().get(movedTo).getFirst()).startsWith("+");
        assertThat(events.events().get(added).getFirst()).startsWith("+");
        PeerEvents.Imports after = PeerEvents.imports(peerSocket());
        assertThat(after.updates() - before.updates()).as("BGP updates accepted").isEqualTo(2);
        assertThat(after.withdraws() - before.withdraws()).as("BGP withdraws accepted")
            .isEqualTo(2);
        assertThat(d.isAlive()).isTrue();
        assertThat(Files.readString(setup.pidfile())).isEqualTo(Long.toString(d.pid()));
        System.out.printf("daemon e2e reload of 50 services (+1 -1, 1 interval, 1 prefix): the"
            + " reload command ran %d ms (a JVM start), the peer had the final routes (n risen"
            + " included) %d ms after it returned; %d peer polls, no event for the other 48%n",
            reload.took().toMillis(), converged.toMillis(), events.polls());
      }
    }
  }

  @Test
  void hundredReloadsInARow_whileTwentyServicesFlip_noStableRouteFlaps_finalStateExact()
      throws Exception {
    Set<IpPrefix> stable = new TreeSet<>();
    Set<IpPrefix> flipping = new TreeSet<>();
    IntStream.range(0, 10).forEach(i -> stable.add(p("10.14.0." + (i + 1))));
    IntStream.range(0, 20).forEach(i -> flipping.add(p("10.14.1." + (i + 1))));
    Set<IpPrefix> all = new TreeSet<>(stable);
    all.addAll(flipping);
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir, all)) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true);
      IntStream.range(0, 10).forEach(i -> setup.service("k" + i, "10.14.0." + (i + 1)));
      IntStream.range(0, 20).forEach(i -> setup.service("f" + i, "10.14.1." + (i + 1)));
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, all, CONVERGE);
      Path outcomes = ReloadFile.besidePidfile(setup.pidfile());

      try (PeerEvents events = PeerEvents.start(peerSocket())) {
        AtomicBoolean flipping20 = new AtomicBoolean(true);
        AtomicInteger flips = new AtomicInteger();
        Thread flipper = Thread.ofPlatform().name("flipper").start(() -> {
          Random random = new Random(13);
          boolean[] down = new boolean[20];
          try {
            while (flipping20.get()) {
              int f = random.nextInt(20);
              down[f] = !down[f];
              if (down[f]) {
                setup.fail("f" + f);
              } else {
                setup.recover("f" + f);
              }
              flips.incrementAndGet();
              Thread.sleep(50 + random.nextInt(250));
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        long t0 = System.nanoTime();
        try {
          for (int i = 0; i < 100; i++) {
            // Real changes each time: a stable service's check, a flipping one's interval.
            setup.set("k" + (i % 10), "check_timeout", Integer.toString(5 + i % 3));
            setup.set("f" + (i % 20), "check_interval", i % 2 == 0 ? "0.4" : "0.3");
            setup.write();
            Instant sent = Instant.now();
            d.signal("HUP");
            ReloadOutcome outcome = awaitOutcome(outcomes, d.pid(), sent);
            assertThat(outcome.success()).as("reload %d: %s", i, outcome.report()).isTrue();
          }
        } finally {
          flipping20.set(false);
          flipper.join(Duration.ofSeconds(10));
        }
        Duration hundred = Duration.ofNanos(System.nanoTime() - t0);

        Set<IpPrefix> expected = new TreeSet<>(stable);
        for (int f = 0; f < 20; f++) {
          if (f % 2 == 0) {
            setup.recover("f" + f);
            expected.add(p("10.14.1." + (f + 1)));
          } else {
            setup.fail("f" + f);
          }
        }
        t.awaitPeerRoutes(V4, expected, CONVERGE);
        events.awaitPolls(100); // a second more: nothing may move any more
        assertThat(t.peerRoutes(V4)).isEqualTo(expected);
        assertThat(events.events(stable)).as("events of the 10 stable routes").isEmpty();
        assertThat(events.events(flipping)).as("the flips reached the peer").isNotEmpty();
        assertThat(d.isAlive()).isTrue();
        assertThat(Files.readString(setup.pidfile())).isEqualTo(Long.toString(d.pid()));
        assertThat(Pattern.compile("reloaded the configuration: ").matcher(d.log()).results()
            .count()).isEqualTo(100);
        System.out.printf("daemon e2e 100 reloads (SIGHUP, each awaited) in %d ms while 20"
            + " services flipped %d times: %d peer polls, no event of the 10 stable routes,"
            + " %d flipping routes moved%n", hundred.toMillis(), flips.get(), events.polls(),
            events.events(flipping).size());
      }
    }
  }

  @Test
  void brokenFile_reloadFails_oldConfigKeepsRunning_errorsLoggedAsCheckPrintsThem_metricZero()
      throws Exception {
    Set<IpPrefix> three = set("10.15.0.1", "10.15.0.2", "10.15.0.3");
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir, three)) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .service("a", "10.15.0.1").service("b", "10.15.0.2").service("c", "10.15.0.3");
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, three, CONVERGE);
      assertThat(d.metric("anycast_healthchecker_config_reload_success")).isEqualTo(1.0);

      try (PeerEvents events = PeerEvents.start(peerSocket())) {
        setup.set("b", "check_rise", "two");
        setup.remove("c").write(); // would withdraw c, were the files valid
        CliRun reload = DaemonProcess.cli(t, setup, "reload");
        CliRun check = DaemonProcess.cli(t, setup, "-c");
        String error = setup.serviceDir().resolve("services.conf") + ": [b] check_rise = 'two':"
            + " not an integer; expected a whole number from 1 to 1000000";
        assertThat(check.stderr()).isEqualTo("Invalid configuration: " + error + "\n");
        assertThat(reload.exitCode()).as("reload: %s", reload).isOne();
        assertThat(reload.stderr()).isEqualTo("reload failed; the daemon keeps running its"
            + " previous configuration\n" + check.stderr());
        assertThat(d.log()).containsPattern("ERROR +MainThread +reload: " + Pattern.quote(error));
        assertThat(d.metric("anycast_healthchecker_config_reload_success")).isZero();
        assertThat(d.metric("anycast_healthchecker_config_last_reload_timestamp_seconds"))
            .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));

        long runs = runs(d, "c");
        await("c is still checked").atMost(CONVERGE).until(() -> runs(d, "c") >= runs + 3);
        events.awaitPolls(20);
        assertThat(events.events()).as("what the peer saw change").isEmpty();
        assertThat(t.peerRoutes(V4)).isEqualTo(three);

        setup.set("b", "check_rise", "2").write();
        CliRun fixed = DaemonProcess.cli(t, setup, "reload");
        assertThat(fixed.exitCode()).as("reload: %s", fixed).isZero();
        assertThat(fixed.stdout()).contains("removed c");
        t.awaitPeerRoutes(V4, set("10.15.0.1", "10.15.0.2"), CONVERGE);
        assertThat(d.metric("anycast_healthchecker_config_reload_success")).isEqualTo(1.0);
        assertThat(d.isAlive()).isTrue();
      }
    }
  }

  @Test
  void reloadSwitchesFromBirdcToTheControlSocket_nextChangeGoesThroughIt() throws Exception {
    Set<IpPrefix> two = set("10.16.0.1", "10.16.0.2");
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir, two)) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, false)
          .service("a", "10.16.0.1").service("b", "10.16.0.2");
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, two, CONVERGE);
      assertThat(d.log()).contains("reconfigured IPv4 BIRD via '" + t.reconfigureCommand(V4));

      setup.daemon("bird_socket", t.nodeSocket(V4).toString()).write();
      CliRun reload = DaemonProcess.cli(t, setup, "reload");
      assertThat(reload.exitCode()).as("reload: %s", reload).isZero();
      assertThat(reload.stdout()).contains("changed [daemon] bird_socket from (unset) to '"
          + t.nodeSocket(V4) + "'");
      setup.fail("b");
      t.awaitPeerRoutes(V4, set("10.16.0.1"), CONVERGE);
      d.awaitLog("reconfigured IPv4 BIRD via control socket " + t.nodeSocket(V4), CONVERGE);
      assertThat(d.isAlive()).isTrue();
    }
  }

  @Test
  void reloadThroughTheApi_brokenIs422AndChangesNothing_fixedIs200_tokenRotatesWithIt()
      throws Exception {
    Set<IpPrefix> two = set("10.17.0.1", "10.17.0.2");
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir, two)) {
      String host = t.linkToHost();
      Path token = dir.resolve("api-token");
      Files.writeString(token, "first-token-0123456789abcdef");
      Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .service("a", "10.17.0.1").service("b", "10.17.0.2")
          .daemon("http_listen", host + ":9182").daemon("http_token_file", token.toString());
      DaemonProcess d = daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, two, CONVERGE);
      HttpClient http = HttpClient.newHttpClient();
      URI reload = URI.create("http://" + host + ":9182/api/v1/reload");

      assertThat(post(http, reload, null).statusCode()).isEqualTo(401);
      assertThat(post(http, reload, "wrong-token-0123456789abcdef").statusCode()).isEqualTo(403);

      setup.set("b", "check_rise", "two");
      setup.remove("a").write();
      HttpResponse<String> broken = post(http, reload, "first-token-0123456789abcdef");
      assertThat(broken.statusCode()).isEqualTo(422);
      assertThat(broken.body()).contains("\"result\":\"invalid\"",
          "[b] check_rise = 'two': not an integer");
      assertThat(t.peerRoutes(V4)).isEqualTo(two);

      setup.set("b", "check_rise", "2").write();
      Files.writeString(token, "second-token-0123456789abcdef");
      HttpResponse<String> fixed = post(http, reload, "first-token-0123456789abcdef");
      assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(200);
      assertThat(fixed.body()).contains("\"result\":\"applied\"", "removed a");
      t.awaitPeerRoutes(V4, set("10.17.0.2"), CONVERGE);
      assertThat(post(http, reload, "first-token-0123456789abcdef").statusCode())
          .as("the old token no longer writes").isEqualTo(403);
      assertThat(post(http, reload, "second-token-0123456789abcdef").statusCode())
          .isEqualTo(200);

      String status = http.send(HttpRequest.newBuilder(URI.create("http://" + host
          + ":9182/api/v1/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(status).contains("\"last_reload\":{\"at\":").contains("\"ok\":true")
          .doesNotContain("\"name\":\"a\"");
      assertThat(d.log()).contains("API reload asked by 10.254.254.");
      assertThat(d.isAlive()).isTrue();
    }
  }

  private static HttpResponse<String> post(HttpClient http, URI uri, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String name(int i) {
    return String.format("s%02d", i);
  }

  /** Waits for the outcome of a reload of daemon {@code pid} that began after {@code sent}. */
  private static ReloadOutcome awaitOutcome(Path file, long pid, Instant sent) {
    return await("reload outcome").atMost(CONVERGE).pollInterval(Duration.ofMillis(10))
        .ignoreExceptions()
        .until(() -> ReloadFile.read(file).filter(e -> e.pid() == pid
            && !e.outcome().started().isBefore(sent)).map(ReloadFile.Entry::outcome),
            Optional::isPresent).orElseThrow();
  }

  private static void awaitApplied(DaemonProcess d, int prefixes) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50)).until(() -> d.metric(
        "anycast_healthchecker_bird_applied_prefixes{ip_version=\"4\"}") == prefixes);
  }

  /** Returns how many checks of {@code service} the daemon started so far. */
  private static long runs(DaemonProcess d, String service) throws Exception {
    return Pattern.compile(" INFO +" + Pattern.quote(service) + " +running ").matcher(d.log())
        .results().count();
  }
}
