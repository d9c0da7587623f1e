package net.anycast.healthchecker.bird;

import static net.anycast.healthchecker.bird.TestServices.p;
import static net.anycast.healthchecker.bird.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler against a real BIRD 2 node, asserting what its BGP peer learns. */
@Tag("e2e")
@Timeout(120)
class BirdEndToEndTest {
  /** Returns the BIRD that serves the node; {@link Bird3EndToEndTest} runs every test on BIRD 3. */
  BgpTestbed.Node node() {
    return BgpTestbed.Node.BIRD2;
  }

  private static final Duration CONVERGE = Duration.ofSeconds(20);
  @TempDir Path dir;
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private InputsRef board;

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanup.reversed()) {
      c.close();
    }
  }

  private BgpTestbed testbed(List<ServiceConfig> services) throws Exception {
    board = new InputsRef(Inputs.of(services));
    List<IpPrefix> routes = services.stream().flatMap(s -> s.prefixes().stream()).toList();
    BgpTestbed t = BgpTestbed.start(node(), dir, routes);
    cleanup.add(t);
    return t;
  }

  private Reconciler reconciler(BgpTestbed t, IpFamily f, boolean socket, List<ServiceConfig> services) {
    Reconciler r = Reconciler.create(t.familyConfig(f, socket), false, board, by -> 0);
    cleanup.add(r);
    r.start();
    return r;
  }

  private static Set<IpPrefix> set(String... prefixes) {
    Set<IpPrefix> s = new TreeSet<>();
    for (String x : prefixes) {
      s.add(p(x));
    }
    return s;
  }

  @Test
  void serviceFails_routeGoneAtPeer_recovers_routeBack() throws Exception {
    List<ServiceConfig> services = List.of(
        service("a", "10.1.0.1", "2001:db8:1::1"), service("b", "10.1.0.2"));
    BgpTestbed t = testbed(services);
    board.publish("a", Health.UP);
    board.publish("b", Health.UP);
    reconciler(t, IpFamily.IPV4, true, services); // control socket
    reconciler(t, IpFamily.IPV6, false, services); // birdc command, same BIRD
    t.awaitPeerRoutes(IpFamily.IPV4, set("10.1.0.1", "10.1.0.2"), CONVERGE);
    t.awaitPeerRoutes(IpFamily.IPV6, set("2001:db8:1::1"), CONVERGE);

    board.publish("a", Health.DOWN);
    Duration down = t.awaitPeerRoutes(IpFamily.IPV4, set("10.1.0.2"), CONVERGE);
    t.awaitPeerRoutes(IpFamily.IPV6, set(), CONVERGE);
    board.publish("a", Health.UP);
    Duration up = t.awaitPeerRoutes(IpFamily.IPV4, set("10.1.0.1", "10.1.0.2"), CONVERGE);
    t.awaitPeerRoutes(IpFamily.IPV6, set("2001:db8:1::1"), CONVERGE);
    System.out.printf("e2e fail/recover: withdrawn at peer in %d ms, back in %d ms%n",
        down.toMillis(), up.toMillis());
  }

  @Test
  void twoHundredServicesFailAtOnce_allGoneAtPeer_withAtMostTwoReconfigures() throws Exception {
    List<ServiceConfig> services = IntStream.range(0, 200)
        .mapToObj(i -> service("s" + i, "10.2." + (i / 100) + "." + (i % 100 + 1))).toList();
    BgpTestbed t = testbed(services);
    services.forEach(s -> board.publish(s.name(), Health.UP));
    Reconciler r = reconciler(t, IpFamily.IPV4, true, services);
    Set<IpPrefix> all = new TreeSet<>(services.stream().flatMap(s -> s.prefixes().stream()).toList());
    t.awaitPeerRoutes(IpFamily.IPV4, all, CONVERGE);
    // The peer may learn a change before the pass that caused it publishes its status.
    awaitApplied(r, 200);
    long before = r.status().reconfigures();

    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = services.stream().map(s -> Thread.ofVirtual().start(() -> {
      try {
        go.await();
      } catch (InterruptedException e) {
        return;
      }
      board.publish(s.name(), Health.DOWN);
    })).toList();
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    Duration gone = t.awaitPeerRoutes(IpFamily.IPV4, Set.of(), CONVERGE);
    awaitApplied(r, 0);
    long reconfigures = r.status().reconfigures() - before;
    System.out.printf("e2e burst of 200: %d reconfigures, peer empty after %d ms, %d passes%n",
        reconfigures, gone.toMillis(), r.status().passes());
    assertThat(reconfigures).isBetween(1L, 2L);
  }

  /** Waits until the reconciler's status says BIRD confirmed {@code prefixes} prefixes. */
  private static void awaitApplied(Reconciler r, int prefixes) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(5)).until(
        () -> r.status().inSync() && r.status().appliedPrefixes() == prefixes);
  }

  @Test
  void birdStoppedWhileServicesChange_thenStarted_peerConvergesWithoutFurtherChange() throws Exception {
    List<ServiceConfig> services = List.of(service("a", "10.3.0.1"), service("b", "10.3.0.2"),
        service("c", "10.3.0.3"));
    BgpTestbed t = testbed(services);
    board.publish("a", Health.UP);
    board.publish("b", Health.UP);
    board.publish("c", Health.DOWN);
    Reconciler r = reconciler(t, IpFamily.IPV4, true, services);
    t.awaitPeerRoutes(IpFamily.IPV4, set("10.3.0.1", "10.3.0.2"), CONVERGE);

    t.stopNode();
    board.publish("a", Health.DOWN);
    board.publish("c", Health.UP);
    awaitTrue(() -> r.status().reconfigureFailures() >= 2, "reconfigure failures while BIRD is down");
    assertThat(r.status().inSync()).isFalse();
    assertThat(r.status().error()).get().asString().contains("control socket");

    t.startNode();
    Duration converged = t.awaitPeerRoutes(IpFamily.IPV4, set("10.3.0.2", "10.3.0.3"), CONVERGE);
    awaitTrue(() -> r.status().inSync(), "reconciler in sync after BIRD is back");
    System.out.printf("e2e BIRD restart: peer converged %d ms after BIRD started%n", converged.toMillis());
    assertThat(converged).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void prefixDirectoryReadOnly_keepsRunning_convergesOnceWritable() throws Exception {
    List<ServiceConfig> services = List.of(service("a", "10.4.0.1"), service("b", "10.4.0.2"));
    BgpTestbed t = testbed(services);
    board.publish("a", Health.UP);
    board.publish("b", Health.UP);
    Reconciler r = reconciler(t, IpFamily.IPV4, true, services);
    t.awaitPeerRoutes(IpFamily.IPV4, set("10.4.0.1", "10.4.0.2"), CONVERGE);

    Path prefixDir = t.prefixFile(IpFamily.IPV4).getParent();
    // Root ignores file modes, so "read-only" is a read-only bind mount of the directory.
    BirdBinaries.run(dir, "mount", "--bind", prefixDir.toString(), prefixDir.toString());
    boolean mounted = true;
    try {
      BirdBinaries.run(dir, "mount", "-o", "remount,ro,bind", prefixDir.toString());
      board.publish("a", Health.DOWN);
      awaitTrue(() -> r.status().writeFailures() >= 2, "write failures on a read-only directory");
      assertThat(r.status().error()).get().asString().contains("Read-only file system");
      assertThat(t.peerRoutes(IpFamily.IPV4)).isEqualTo(set("10.4.0.1", "10.4.0.2"));
      BirdBinaries.run(dir, "umount", prefixDir.toString());
      mounted = false;
      t.awaitPeerRoutes(IpFamily.IPV4, set("10.4.0.2"), CONVERGE);
      awaitTrue(() -> r.status().inSync(), "in sync once writable");
    } finally {
      if (mounted) {
        BirdBinaries.run(dir, "umount", prefixDir.toString());
      }
    }
  }

  @Test
  void controlSocket_badConfig_reportsBirdsError_andCommandDoesNotClaimSuccess() throws Exception {
    BgpTestbed t = testbed(List.of(service("a", "10.5.0.1")));
    BirdSocket socket = new BirdSocket(t.nodeSocket(IpFamily.IPV4), Duration.ofSeconds(5));
    cleanup.add(socket);
    assertThat(socket.reconfigure()).isEqualTo(new ReconfigureResult.Confirmed("Reconfigured"));
    assertThat(socket.configureCheck().confirmed()).isTrue();
    BirdcCommand birdc = new BirdcCommand(t.reconfigureCommand(IpFamily.IPV4), Duration.ofSeconds(5));
    assertThat(birdc.reconfigure().confirmed()).isTrue();

    Path file = t.prefixFile(IpFamily.IPV4);
    String good = Files.readString(file);
    // What a non-atomic writer killed mid-write would leave behind.
    Files.writeString(file, "define ACAST_PS_ADVERTISE =\n    [\n        10.189.200.255/32,\n");
    ReconfigureResult bad = socket.reconfigure();
    assertThat(bad).isInstanceOf(ReconfigureResult.Failed.class);
    assertThat(((ReconfigureResult.Failed) bad).reason()).contains("8002").contains("syntax error");
    assertThat(socket.configureCheck().confirmed()).isFalse();
    assertThat(birdc.reconfigure().confirmed()).isFalse();
    Files.writeString(file, good);
    assertThat(socket.reconfigure().confirmed()).isTrue();
  }

  @Test
  void controlSocket_birdRestarted_nextReconfigureSucceedsInOneCall() throws Exception {
    BgpTestbed t = testbed(List.of(service("a", "10.6.0.1")));
    BirdSocket socket = new BirdSocket(t.nodeSocket(IpFamily.IPV4), Duration.ofSeconds(5));
    cleanup.add(socket);
    ReconfigureResult confirmed = new ReconfigureResult.Confirmed("Reconfigured");
    assertThat(socket.reconfigure()).isEqualTo(confirmed);
    assertThat(socket.reconfigure()).isEqualTo(confirmed); // on the kept connection
    String pidBefore = Files.readString(dir.resolve("node.pid")).strip();

    t.stopNode();
    t.startNode(); // a new BIRD process on the same socket path
    assertThat(Files.readString(dir.resolve("node.pid")).strip()).isNotEqualTo(pidBefore);
    assertThat(socket.reconfigure()).as("one call after the restart").isEqualTo(confirmed);

    t.stopNode();
    ReconfigureResult down = socket.reconfigure();
    assertThat(down).isInstanceOf(ReconfigureResult.Failed.class);
    assertThat(((ReconfigureResult.Failed) down).reason())
        .startsWith("'configure' on BIRD's control socket " + t.nodeSocket(IpFamily.IPV4));
    t.startNode();
    assertThat(socket.reconfigure()).isEqualTo(confirmed);
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
