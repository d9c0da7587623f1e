package net.anycast.healthchecker.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.config.MinAnnouncers;
import net.anycast.healthchecker.fleet.EtcdCluster;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * Issue 14's recorded run ({@code bin/bench --only=fleet}): {@code nodes} daemons, each in a
 * network namespace of its own with its own BIRD and BGP peer, all configured for the same
 * {@code prefixes} services, against a 3-member etcd cluster in another namespace. Measures the
 * etcd requests per node per second while every service is healthy and while the fleet holds
 * prefixes, and the time from a fleet-wide failure (every check of every node failing at once)
 * to the settled state the floor allows, as the BGP peers see it.
 */
public final class FleetBench {
  private static final String KEYS = "/ahc-bench";

  /** What one run found. */
  public record Result(int nodes, int prefixes, String min, int floor, Duration ttl,
      double steadyRequestsPerNodeSecond, double heldRequestsPerNodeSecond, Duration settled,
      boolean exact, Duration recovered, String announcersAfter) {}

  private FleetBench() {}

  /** Runs it; {@code window} is how long each request rate is measured. */
  public static Result run(Path dir, int nodes, int prefixes, String min, Duration ttl,
      Duration window) throws Exception {
    Files.createDirectories(dir);
    List<IpPrefix> all = new ArrayList<>();
    for (int k = 1; k <= prefixes; k++) {
      all.add(IpPrefix.parse("10.9.0." + k + "/32"));
    }
    int floor = MinAnnouncers.parse(min).orElseThrow().floor(nodes);
    List<BgpTestbed> beds = new ArrayList<>();
    List<DaemonSetup> setups = new ArrayList<>();
    List<DaemonProcess> daemons = new ArrayList<>();
    try (EtcdCluster etcd = EtcdCluster.inNamespace(dir.resolve("etcd"), 3)) {
      for (int i = 1; i <= nodes; i++) {
        BgpTestbed t = BgpTestbed.start(BgpTestbed.Node.BIRD2, dir.resolve("n" + i + "/bird"), all);
        beds.add(t);
        etcd.attach(t.nodeNamespace());
        DaemonSetup setup = DaemonSetup.of(t, dir.resolve("n" + i + "/daemon"), false, true)
            .check("check_interval", "1")
            .daemon("fleet_etcd_endpoints", etcd.endpoints())
            .daemon("fleet_node_name", "n" + i)
            .daemon("fleet_key_prefix", KEYS)
            .daemon("fleet_lease_ttl", Long.toString(ttl.toSeconds()))
            .daemon("fleet_min_announcers", min);
        for (IpPrefix p : all) {
          setup.service(service(p), p.toString());
        }
        setups.add(setup);
      }
      System.out.printf(Locale.ROOT, "  fleet: %d testbeds up; starting %d daemons%n", nodes,
          nodes);
      // One after another: twenty JVMs starting at once on 2 cores starve etcd itself.
      for (int i = 0; i < nodes; i++) {
        DaemonProcess d = DaemonProcess.start(beds.get(i), setups.get(i),
            setups.get(i).dir().resolve("daemon.log"), Map.of());
        daemons.add(d);
        d.awaitLog("ready: ", Duration.ofMinutes(2));
      }
      awaitAnnouncers(beds, all, nodes, Duration.ofMinutes(3));
      awaitKeys(etcd, nodes * prefixes, Duration.ofMinutes(1));

      double steady = requestRate(daemons, window);

      everyCheck(setups, all, true);
      Duration settled = awaitAnnouncers(beds, all, floor, Duration.ofMinutes(2));
      Thread.sleep(3000);
      Map<IpPrefix, Integer> after = announcers(beds, all);
      boolean exact = after.values().stream().allMatch(n -> n == floor);
      double held = requestRate(daemons, window);

      everyCheck(setups, all, false);
      Duration recovered = awaitAnnouncers(beds, all, nodes, Duration.ofMinutes(2));
      return new Result(nodes, prefixes, min, floor, ttl, steady, held, settled, exact,
          recovered, after.toString());
    } finally {
      for (DaemonProcess d : daemons) {
        d.close();
      }
      for (BgpTestbed t : beds) {
        t.close();
      }
    }
  }

  /** Makes every check of every node fail (or pass) from its next run on, all at once. */
  private static void everyCheck(List<DaemonSetup> setups, List<IpPrefix> all, boolean fail)
      throws java.io.IOException {
    for (DaemonSetup s : setups) {
      for (IpPrefix p : all) {
        if (fail) {
          s.fail(service(p));
        } else {
          s.recover(service(p));
        }
      }
    }
  }

  private static String service(IpPrefix p) {
    return "svc-" + p.toString().replace('.', '-').replace('/', '_');
  }

  /** Returns how many peers have each prefix. */
  private static Map<IpPrefix, Integer> announcers(List<BgpTestbed> beds, List<IpPrefix> all)
      throws Exception {
    Map<IpPrefix, Integer> out = new HashMap<>();
    all.forEach(p -> out.put(p, 0));
    for (BgpTestbed t : beds) {
      Set<IpPrefix> seen = t.peerRoutes(IpFamily.IPV4);
      for (IpPrefix p : all) {
        if (seen.contains(p)) {
          out.merge(p, 1, Integer::sum);
        }
      }
    }
    return out;
  }

  /** Waits until every prefix has exactly {@code count} announcers; returns how long it took. */
  private static Duration awaitAnnouncers(List<BgpTestbed> beds, List<IpPrefix> all, int count,
      Duration timeout) throws Exception {
    long t0 = System.nanoTime();
    Map<IpPrefix, Integer> last = Map.of();
    while (System.nanoTime() - t0 < timeout.toNanos()) {
      last = announcers(beds, all);
      if (last.values().stream().allMatch(n -> n == count)) {
        return Duration.ofNanos(System.nanoTime() - t0);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("announcers per prefix never became " + count + ": " + last);
  }

  private static void awaitKeys(EtcdCluster etcd, int count, Duration timeout) throws Exception {
    long t0 = System.nanoTime();
    int last = -1;
    while (System.nanoTime() - t0 < timeout.toNanos()) {
      try {
        last = new TreeSet<>(etcd.keys(KEYS + "/")).stream()
            .filter(k -> k.contains("/announcers/")).toList().size();
      } catch (AssertionError e) { // etcdctl timed out on a machine this loaded: look again
        last = -1;
      }
      if (last == count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("announcer keys never became " + count + ": " + last);
  }

  /** Returns the etcd requests per node per second over {@code window}, from the metrics. */
  private static double requestRate(List<DaemonProcess> daemons, Duration window)
      throws Exception {
    double before = 0;
    for (DaemonProcess d : daemons) {
      before += d.metric("anycast_healthchecker_fleet_etcd_requests_total");
    }
    long t0 = System.nanoTime();
    Thread.sleep(window.toMillis());
    double after = 0;
    for (DaemonProcess d : daemons) {
      after += d.metric("anycast_healthchecker_fleet_etcd_requests_total");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return (after - before) / daemons.size() / seconds;
  }
}
