package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.monitor.StatusFile;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's operations through the daemon process: signals, pidfile, single instance, systemd's
 * notify protocol and the status file. One BIRD testbed serves every test; each test runs its
 * own daemons in its own directory.
 */
@Tag("e2e")
@Timeout(90)
class DaemonOperationsEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path birdDir;
  private static BgpTestbed testbed;

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();

  @BeforeAll
  static void startBird() throws Exception {
    testbed = BgpTestbed.start(BgpTestbed.Node.BIRD2, birdDir,
        List.of(IpPrefix.parse("10.9.0.1/32"), IpPrefix.parse("10.9.0.2/32")));
  }

  @AfterAll
  static void stopBird() throws InterruptedException {
    if (testbed != null) {
      testbed.close();
    }
  }

  private DaemonSetup setup() throws IOException {
    return DaemonSetup.of(testbed, dir, false, true).service("a", "10.9.0.1");
  }

  @Test
  void sigterm_exitsZero_removesPidfileAndStatusFile_leavesPrefixFile() throws Exception {
    DaemonSetup setup = setup();
    DaemonProcess d = daemons.start(testbed, setup).awaitReady();
    testbed.awaitPeerRoutes(IpFamily.IPV4, DaemonRoutesEndToEndTest.set("10.9.0.1"), WAIT);
    assertThat(Files.readString(setup.pidfile()).strip()).isEqualTo(Long.toString(d.pid()));
    Path statusFile = StatusFile.besidePidfile(setup.pidfile());
    await("status file").atMost(WAIT).until(() -> Files.exists(statusFile));
    String prefixes = Files.readString(testbed.prefixFile(IpFamily.IPV4));

    d.signal("TERM");
    assertThat(d.awaitExit(WAIT)).isZero();
    assertThat(setup.pidfile()).doesNotExist();
    assertThat(statusFile).doesNotExist();
    assertThat(Files.readString(testbed.prefixFile(IpFamily.IPV4))).isEqualTo(prefixes);
    assertThat(d.log()).contains("received SIGTERM");
    assertThat(testbed.peerRoutes(IpFamily.IPV4)).containsExactly(IpPrefix.parse("10.9.0.1/32"));
  }

  @Test
  void secondInstance_refusesToStart_whileTheFirstRuns() throws Exception {
    DaemonSetup setup = setup();
    DaemonProcess first = daemons.start(testbed, setup).awaitReady();
    // Same network namespace (the lock's scope), same configuration.
    DaemonProcess second = daemons.start(testbed, setup);
    assertThat(second.awaitExit(WAIT)).isOne();
    assertThat(second.log())
        .contains("failed to acquire a lock by creating an abstract namespace socket");
    assertThat(first.isAlive()).isTrue();
    assertThat(Files.readString(setup.pidfile()).strip()).isEqualTo(Long.toString(first.pid()));
  }

  @Test
  void sigurg_runsEveryCheckNow() throws Exception {
    DaemonSetup setup = DaemonSetup.of(testbed, dir, false, true).check("check_interval", "60");
    Path runsA = dir.resolve("runs-a");
    Path runsB = dir.resolve("runs-b");
    setup.checkedBy("a", "/bin/sh -c 'echo run >> " + runsA + "'", "10.9.0.1");
    setup.checkedBy("b", "/bin/sh -c 'echo run >> " + runsB + "'", "10.9.0.2");
    DaemonProcess d = daemons.start(testbed, setup).awaitReady();
    await("first checks").atMost(WAIT).until(() -> lines(runsA) == 1 && lines(runsB) == 1);

    d.signal("URG");
    // The next slot is 60 s away: only SIGURG runs them within the wait.
    await("checks run by SIGURG").atMost(WAIT).until(() -> lines(runsA) == 2 && lines(runsB) == 2);
    d.signal("URG");
    await("checks run by a second SIGURG").atMost(WAIT)
        .until(() -> lines(runsA) == 3 && lines(runsB) == 3);
    assertThat(d.log()).contains("received SIGURG, running every check now");
    assertThat(d.isAlive()).isTrue();
  }

  @Test
  void warmUp_logsOneLine_runsNoConfiguredCommand_touchesNoBirdFile_leavesNothing()
      throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("daemon-tmp"));
    Path runs = dir.resolve("runs");
    Path customRuns = dir.resolve("custom-runs");
    DaemonSetup setup = DaemonSetup.of(testbed, dir, false, true).check("check_interval", "60");
    // A prefix no other test of the class leaves in the shared prefix file: its custom command
    // then runs once, at the rise.
    setup.checkedBy("a", "/bin/sh -c 'echo run >> " + runs + "'", "10.9.0.77")
        .set("a", "custom_bird_reconfigure_cmd", "/bin/sh -c 'echo $0 >> " + customRuns + "'");
    DaemonProcess d = daemons.start(testbed, setup,
        Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp)).awaitReady();
    d.awaitLog("warmed up in ", WAIT);
    // The service's custom command tells BIRD of it (the family reconfigure leaves it alone).
    d.awaitLog("ran custom_bird_reconfigure_cmd of a with up", WAIT);

    List<String> log = d.log().lines().toList();
    assertThat(log).filteredOn(l -> l.contains("warmed up in ")).singleElement().asString()
        .contains("route changes in ").contains(" on a private copy of a ");
    // The service's own history only: one rise from UNKNOWN, none of the rehearsed changes.
    assertThat(log).filteredOn(l -> l.contains("status changed")).singleElement().asString()
        .contains("status changed to UP from UNKNOWN");
    assertThat(log).noneMatch(l -> l.contains("/bin/true") || l.contains("/bin/false")
        || l.contains("anycast-healthchecker-rehearsal") || l.contains("stand-in"));
    assertThat(Files.readAllLines(runs)).hasSize(1); // its check_cmd ran for itself only
    assertThat(Files.readAllLines(customRuns)).containsExactly("up"); // for the real one only
    assertThat(Files.readString(testbed.prefixFile(IpFamily.IPV4))).contains("10.9.0.77/32");
    try (var left = Files.list(tmp)) {
      assertThat(left).isEmpty();
    }
  }

  private static long lines(Path p) throws IOException {
    return Files.exists(p) ? Files.readAllLines(p).size() : 0;
  }

  @Test
  void systemdNotify_readyAfterFirstPass_statusWatchdogPings_stoppingOnSigterm() throws Exception {
    DaemonSetup setup = setup();
    String address = dir.resolve("notify").toString();
    try (UnixDatagramSocket systemd = UnixDatagramSocket.open()) {
      systemd.bind(address);
      List<Received> received = new ArrayList<>();
      Thread receiver =
          Thread.ofPlatform().name("systemd").daemon().start(() -> receive(systemd, received));
      try {
        DaemonProcess d = daemons.start(testbed, setup,
            Map.of("NOTIFY_SOCKET", address, "WATCHDOG_USEC", "2000000"));
        await("READY=1").atMost(WAIT).until(() -> messages(received).stream()
            .anyMatch(m -> m.startsWith("READY=1\n")));
        String ready = messages(received).stream().filter(m -> m.startsWith("READY=1\n"))
            .findFirst().orElseThrow();
        assertThat(ready).matches("READY=1\nSTATUS=1 services: .*IPv4.*");
        // The daemon logs "ready: …" just after it sends READY=1: wait for the line itself.
        d.awaitLog("ready: ", WAIT);
        String log = d.log();
        assertThat(log.indexOf("reconfigured IPv4 BIRD"))
            .as("the first reconcile pass is done before READY=1")
            .isBetween(0, log.indexOf("ready: "));
        await("watchdog pings").atMost(WAIT).until(() -> pings(received).size() >= 4);
        List<Long> at = pings(received);
        for (int i = 1; i < at.size(); i++) {
          // WatchdogSec=2: systemd would kill us after a longer silence.
          assertThat(Duration.ofNanos(at.get(i) - at.get(i - 1))).isLessThan(Duration.ofSeconds(2));
        }
        Path statusFile = StatusFile.besidePidfile(setup.pidfile());
        await("status file").atMost(WAIT).until(() -> Files.exists(statusFile));

        d.signal("TERM");
        assertThat(d.awaitExit(WAIT)).isZero();
        await("STOPPING=1").atMost(WAIT).until(() -> messages(received).contains("STOPPING=1"));
        assertThat(statusFile).doesNotExist();
        System.out.printf("daemon e2e systemd: %d datagrams, %d watchdog pings%n",
            messages(received).size(), pings(received).size());
      } finally {
        try (UnixDatagramSocket self = UnixDatagramSocket.open()) {
          self.send(address, "END".getBytes(StandardCharsets.UTF_8));
        }
        receiver.join(Duration.ofSeconds(10));
      }
    }
  }

  private record Received(long nanos, String text) {}

  private static void receive(UnixDatagramSocket socket, List<Received> into) {
    while (true) {
      String text;
      try {
        text = new String(socket.receive(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return;
      }
      if (text.equals("END")) {
        return;
      }
      synchronized (into) {
        into.add(new Received(System.nanoTime(), text));
      }
    }
  }

  private static List<String> messages(List<Received> received) {
    synchronized (received) {
      return received.stream().map(Received::text).toList();
    }
  }

  private static List<Long> pings(List<Received> received) {
    synchronized (received) {
      return received.stream().filter(r -> r.text().equals("WATCHDOG=1")).map(Received::nanos)
          .toList();
    }
  }
}
