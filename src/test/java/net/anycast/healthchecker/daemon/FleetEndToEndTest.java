package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.fleet.EtcdCluster;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet valve with everything real: a 3-member etcd cluster in a network namespace of its
 * own (on a bridge), and three nodes, each a daemon process in its own namespace (the
 * single-instance lock is per namespace) with its own BIRD and a BGP peer of that BIRD, linked
 * to the cluster's bridge. The assertions are what each node's peer learns, what etcd holds,
 * and the daemons' metrics.
 */
@Tag("e2e")
class FleetEndToEndTest {
  private static final IpPrefix PREFIX = IpPrefix.parse("10.8.0.1/32");
  private static final Duration TTL = Duration.ofSeconds(3);
  private static final Duration SETTLE = Duration.ofSeconds(20);
  private static final String KEYS = "/ahc-e2e";

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();
  private EtcdCluster etcd;
  private final List<BgpTestbed> testbeds = new ArrayList<>();

  /** One node: its BIRD and peer, its configuration, its daemon. */
  record Node(String name, BgpTestbed bird, DaemonSetup setup, DaemonProcess daemon) {
    boolean peerHasRoute() throws Exception {
      return bird.peerRoutes(IpFamily.IPV4).contains(PREFIX);
    }

    double held() throws Exception {
      return daemon.metric("anycast_healthchecker_fleet_held{ip_prefix=\"" + PREFIX
          + "\",service_name=\"svc\"}");
    }

    double alone() throws Exception {
      return daemon.metric("anycast_healthchecker_fleet_deciding_alone");
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    for (BgpTestbed t : testbeds) {
      t.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private List<Node> start(int count) throws Exception {
    etcd = EtcdCluster.inNamespace(dir.resolve("etcd"), 3);
    List<Node> nodes = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = "n" + i;
      BgpTestbed t = BgpTestbed.start(BgpTestbed.Node.BIRD2, dir.resolve(name + "/bird"),
          List.of(PREFIX));
      testbeds.add(t);
      etcd.attach(t.nodeNamespace());
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve(name + "/daemon"), false, true)
          .service("svc", PREFIX.toString())
          .daemon("fleet_etcd_endpoints", etcd.endpoints())
          .daemon("fleet_node_name", name)
          .daemon("fleet_key_prefix", KEYS)
          .daemon("fleet_lease_ttl", Long.toString(TTL.toSeconds()))
          .daemon("fleet_min_announcers", "1");
      nodes.add(new Node(name, t, setup, daemons.start(t, setup)));
    }
    for (Node n : nodes) {
      n.daemon().awaitReady();
    }
    awaitAnnounced(nodes, nodes.size());
    return nodes;
  }

  private static long announcing(List<Node> nodes) throws Exception {
    long n = 0;
    for (Node node : nodes) {
      n += node.peerHasRoute() ? 1 : 0;
    }
    return n;
  }

  private void awaitAnnounced(List<Node> nodes, int expected) throws Exception {
    await(expected + " of " + nodes.size() + " peers with the route").atMost(SETTLE)
        .pollInterval(Duration.ofMillis(100)).until(() -> announcing(nodes) == expected);
  }

  private List<String> announcerKeys() throws Exception {
    return etcd.keys(KEYS + "/" + PREFIX + "/announcers/");
  }

  @Test
  void fleetWideFailure_holdsTheLastAnnouncer_etcdMemberLossChangesNothing_allLostFallsBack()
      throws Exception {
    List<Node> nodes = start(3);
    await().atMost(SETTLE).until(() -> announcerKeys().size() == 3);

    // Every node's check fails at once: two may withdraw, the last one is held.
    long t0 = System.nanoTime();
    for (Node n : nodes) {
      n.setup().fail("svc");
    }
    awaitAnnounced(nodes, 1);
    Duration settled = Duration.ofNanos(System.nanoTime() - t0);
    Thread.sleep(2000);
    assertThat(announcing(nodes)).as("still exactly one announcer").isEqualTo(1);
    Node held = null;
    for (Node n : nodes) {
      if (n.peerHasRoute()) {
        held = n;
      }
    }
    assertThat(held).isNotNull();
    assertThat(held.held()).isEqualTo(1.0);
    assertThat(held.daemon().log()).contains(PREFIX + " of svc held by the fleet valve (announced"
        + " although down): 0 other node(s) announce it, at least 1 must (3 registered)");
    for (Node n : nodes) {
      if (n != held) {
        assertThat(n.held()).isEqualTo(0.0);
      }
    }
    assertThat(announcerKeys()).containsExactly(KEYS + "/" + PREFIX + "/announcers/"
        + held.name());
    System.out.printf("fleet e2e: 3 nodes failed at once; settled (2 withdrawn, 1 held) after"
        + " %d ms%n", settled.toMillis());

    // Checks recover: everyone announces again.
    for (Node n : nodes) {
      n.setup().recover("svc");
    }
    awaitAnnounced(nodes, 3);
    await().atMost(SETTLE).until(() -> announcerKeys().size() == 3);

    // One etcd member killed: nothing changes, and the valve keeps deciding with the fleet.
    etcd.kill(0);
    Thread.sleep(TTL.plusSeconds(2).toMillis());
    assertThat(announcing(nodes)).isEqualTo(3);
    for (Node n : nodes) {
      assertThat(n.alone()).as(n.name()).isEqualTo(0.0);
    }
    for (Node n : nodes) {
      n.setup().fail("svc");
    }
    awaitAnnounced(nodes, 1);
    Thread.sleep(1500);
    assertThat(announcing(nodes)).isEqualTo(1);

    // Every member killed: within the lease TTL the held node decides alone and withdraws.
    etcd.killAll();
    long killed = System.nanoTime();
    awaitAnnounced(nodes, 0);
    Duration fellBack = Duration.ofNanos(System.nanoTime() - killed);
    assertThat(fellBack).isLessThan(TTL.plusSeconds(3));
    for (Node n : nodes) {
      await().atMost(SETTLE).until(() -> n.alone() == 1.0);
    }
    System.out.printf("fleet e2e: all etcd members killed; the held node withdrew after %d ms"
        + " (TTL %d s)%n", fellBack.toMillis(), TTL.toSeconds());

    // etcd back, checks recover: every node registers again and announces.
    for (int i = 0; i < 3; i++) {
      etcd.start(i);
    }
    etcd.awaitHealthy(Duration.ofSeconds(30));
    for (Node n : nodes) {
      n.setup().recover("svc");
    }
    awaitAnnounced(nodes, 3);
    await().atMost(SETTLE).until(() -> announcerKeys().size() == 3);
    for (Node n : nodes) {
      await().atMost(SETTLE).until(() -> n.alone() == 0.0);
    }
  }

  @Test
  void daemonKilled_itsKeysVanishWithinTheTtl_andTheOthersCountItOut() throws Exception {
    List<Node> nodes = start(3);
    await().atMost(SETTLE).until(() -> announcerKeys().size() == 3);
    Node dead = nodes.get(2);
    dead.daemon().kill(); // its BIRD keeps the route: the file stays as it was
    long killed = System.nanoTime();
    await().atMost(TTL.plusSeconds(5)).pollInterval(Duration.ofMillis(100))
        .until(() -> etcd.keys(KEYS + "/").stream().noneMatch(k -> k.endsWith("/" + dead.name())));
    Duration gone = Duration.ofNanos(System.nanoTime() - killed);
    System.out.printf("fleet e2e: daemon killed -9; its keys gone after %d ms (TTL %d s)%n",
        gone.toMillis(), TTL.toSeconds());

    // Both live nodes fail at once. Counting the dead node in, both would go; counted out,
    // exactly one may (one other announcer must stay).
    List<Node> live = nodes.subList(0, 2);
    for (Node n : live) {
      assertThat(n.alone()).as(n.name() + " decides with the fleet").isEqualTo(0.0);
      n.setup().fail("svc");
    }
    awaitAnnounced(live, 1);
    Thread.sleep(2000);
    assertThat(announcing(live)).isEqualTo(1);
    assertThat(announcerKeys()).hasSize(1);
    assertThat(Set.copyOf(etcd.keys(KEYS + "/" + PREFIX + "/members/")))
        .containsExactlyInAnyOrder(KEYS + "/" + PREFIX + "/members/n1",
            KEYS + "/" + PREFIX + "/members/n2");
  }
}
