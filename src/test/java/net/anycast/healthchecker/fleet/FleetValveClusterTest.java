package net.anycast.healthchecker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import net.anycast.healthchecker.bird.Reconciler;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.config.FleetConfig;
import net.anycast.healthchecker.config.MinAnnouncers;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes' valves and reconcilers (real prefix files, a reconfigure command that says
 * "Reconfigured") in one JVM against a real 3-member etcd cluster on loopback: the valve's
 * decisions as they meet etcd, faster than whole daemons ({@code FleetEndToEndTest} runs those).
 */
@Tag("e2e")
class FleetValveClusterTest {
  private static final IpPrefix PREFIX = IpPrefix.parse("10.52.0.1/32");
  private static final Duration TTL = Duration.ofSeconds(3);

  @TempDir Path dir;
  private EtcdCluster etcd;
  private final List<Node> nodes = new ArrayList<>();

  /** One node: its inputs, its reconciler and its valve. */
  record Node(String name, InputsRef in, Reconciler reconciler, FleetValve valve, Path file) {
    boolean announces() throws Exception {
      return Files.readString(file).contains(PREFIX.toString());
    }

    void health(Health h) {
      in.publish("svc", h);
    }
  }

  @BeforeEach
  void cluster() throws Exception {
    etcd = EtcdCluster.onLoopback(dir.resolve("etcd"), 3);
  }

  @AfterEach
  void stop() throws Exception {
    for (Node n : nodes) {
      n.valve().close();
      n.reconciler().close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private Node node(String name, MinAnnouncers min) throws Exception {
    Path nodeDir = Files.createDirectories(dir.resolve(name));
    Path file = nodeDir.resolve("prefixes.conf");
    ServiceConfig svc = new ServiceConfig("svc", "/bin/true", Duration.ofSeconds(10),
        Duration.ofSeconds(2), 2, 2, false, OnDisabled.WITHDRAW, "lo", true, List.of(PREFIX),
        null, Duration.ofSeconds(2), OnDrain.WITHDRAW);
    InputsRef in = new InputsRef(Inputs.of(List.of(svc)));
    Reconciler r = Reconciler.create(new BirdFamilyConfig(IpFamily.IPV4, file,
        "ACAST_PS_ADVERTISE", "echo Reconfigured", IpPrefix.parse("10.189.200.255/32"), false,
        128, null), false, in, t -> 0);
    FleetConfig config = new FleetConfig(etcd.uris(), name, "/ahc-test", TTL, min, null, null,
        null, null, null, null);
    FleetValve valve = new FleetValve(config, new EtcdClient(config, Duration.ofSeconds(1)), in,
        () -> List.of(r.status()), System::nanoTime);
    valve.start();
    in.onChange(valve::wake);
    r.onStatus(valve::wake);
    r.start();
    Node n = new Node(name, in, r, valve, file);
    nodes.add(n);
    return n;
  }

  private List<Node> nodes(int count, MinAnnouncers min) throws Exception {
    List<Node> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      out.add(node("n" + i, min));
    }
    return out;
  }

  private static long count(List<Node> nodes, Predicate<Node> p) {
    return nodes.stream().filter(p).count();
  }

  private static boolean announces(Node n) {
    try {
      return n.announces();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void allUp(List<Node> ns) {
    ns.forEach(n -> n.health(Health.UP));
    await().atMost(Duration.ofSeconds(10)).until(() -> count(ns, FleetValveClusterTest::announces) == ns.size());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        etcd.keys("/ahc-test/" + PREFIX + "/announcers/").size() == ns.size());
  }

  @Test
  void fleetWideFailure_withdrawsOnlyWhatTheFloorAllows_andRecovers() throws Exception {
    List<Node> ns = nodes(3, MinAnnouncers.DEFAULT);
    allUp(ns);
    assertThat(etcd.keys("/ahc-test/" + PREFIX + "/members/")).hasSize(3);

    ns.forEach(n -> n.health(Health.DOWN)); // every node at the same moment
    await().atMost(Duration.ofSeconds(10)).until(() ->
        count(ns, FleetValveClusterTest::announces) == 1
            && count(ns, n -> !n.valve().status().heldPrefixes().isEmpty()) == 1);
    Thread.sleep(2000); // settled: the held node stays held, nobody else comes back
    assertThat(count(ns, FleetValveClusterTest::announces)).isEqualTo(1);
    Node held = ns.stream().filter(FleetValveClusterTest::announces).findFirst().orElseThrow();
    assertThat(held.reconciler().status().held()).containsExactly(PREFIX);
    assertThat(held.valve().status().heldPrefixes().get(PREFIX))
        .contains("0 other node(s) announce it, at least 1 must (3 registered)");
    assertThat(etcd.keys("/ahc-test/" + PREFIX + "/announcers/"))
        .containsExactly("/ahc-test/" + PREFIX + "/announcers/" + held.name());

    allUp(ns); // recovery: everyone announces again
  }

  @Test
  void percentageFloor_countsTheRegisteredNodes() throws Exception {
    List<Node> ns = nodes(3, MinAnnouncers.parse("60%").orElseThrow()); // 60 % of 3 = 2 others
    allUp(ns);
    ns.forEach(n -> n.health(Health.DOWN));
    // One may go (2 others stay); after it, each of the 2 left would leave only 1.
    await().atMost(Duration.ofSeconds(10)).until(() ->
        count(ns, FleetValveClusterTest::announces) == 2
            && count(ns, n -> n.valve().status().heldPrefixes().containsKey(PREFIX)) == 2);
    Thread.sleep(2000);
    assertThat(count(ns, FleetValveClusterTest::announces)).isEqualTo(2);
    assertThat(etcd.keys("/ahc-test/" + PREFIX + "/announcers/")).hasSize(2);
  }

  @Test
  void deliberateWithdrawals_areNotHeld_butCountForTheOthers() throws Exception {
    List<Node> ns = nodes(2, MinAnnouncers.DEFAULT);
    allUp(ns);
    Node drained = ns.get(0);
    drained.in().update(i -> i.withDrains(Drains.of(List.of(Drain.of("all", "test")))));
    await().atMost(Duration.ofSeconds(10)).until(() -> !drained.announces());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        etcd.keys("/ahc-test/" + PREFIX + "/announcers/").size() == 1);
    Node other = ns.get(1);
    other.health(Health.DOWN);
    Thread.sleep(2000);
    assertThat(other.announces()).isTrue(); // the last announcer is held
    assertThat(other.valve().status().heldPrefixes()).containsKey(PREFIX);
  }

  @Test
  void etcdAway_oneMemberChangesNothing_allMembersFallBackToLocalDecisions() throws Exception {
    List<Node> ns = nodes(2, MinAnnouncers.DEFAULT);
    allUp(ns);
    etcd.kill(0);
    ns.get(0).health(Health.DOWN);
    await().atMost(Duration.ofSeconds(10)).until(() -> !ns.get(0).announces());
    ns.get(1).health(Health.DOWN);
    Thread.sleep(2000);
    assertThat(ns.get(1).announces()).isTrue(); // held: it is the last one
    assertThat(ns.get(1).valve().status().mode()).isEqualTo(FleetStatus.Mode.FLEET);

    etcd.killAll();
    long t0 = System.nanoTime();
    await().atMost(TTL.plusSeconds(5)).until(() -> !ns.get(1).announces());
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(took).isGreaterThanOrEqualTo(TTL.minusMillis(1500)); // held until the TTL passed
    assertThat(ns.get(1).valve().status().mode()).isEqualTo(FleetStatus.Mode.ALONE);

    // etcd back: the nodes register again and guard again.
    etcd.start(0);
    etcd.start(1);
    etcd.start(2);
    etcd.awaitHealthy(Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(15)).until(() ->
        ns.stream().allMatch(n -> n.valve().status().mode() == FleetStatus.Mode.FLEET));
    allUp(ns);
  }
}
