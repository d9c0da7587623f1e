package net.anycast.healthchecker.metrics;

import java.util.Set;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * What the metrics show of the fleet valve.
 *
 * @param alone etcd has been unreachable for longer than the lease: health decides alone
 * @param etcdRequests requests sent to etcd since start
 * @param etcdFailures etcd calls that failed since start
 * @param held the prefixes kept announced for the valve although their service is down
 */
public record FleetSample(boolean alone, long etcdRequests, long etcdFailures,
    Set<IpPrefix> held) {
  public FleetSample {
    held = Set.copyOf(held);
  }
}
