package net.anycast.healthchecker.fleet;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * An immutable snapshot of the fleet valve, for metrics, the status API and logs.
 *
 * @param node this node's name in etcd
 * @param mode how withdrawals are decided now
 * @param lease the etcd lease this node's keys live under; 0 when it has none
 * @param lastContactNanos when etcd last answered, monotonic; 0 before it ever did
 * @param requests requests sent to etcd so far
 * @param failures calls that failed (unreachable, or an error answer)
 * @param lastError the last failure's message; empty when the last call went through
 * @param held the prefixes held announced now, each with why (the counts of its last answer)
 */
public record FleetStatus(String node, Mode mode, long lease, long lastContactNanos,
    long requests, long failures, String lastError, SortedMap<IpPrefix, String> held) {

  /** How health-driven withdrawals are decided. */
  public enum Mode {
    /** Not yet heard from etcd since start: withdrawals wait (at most the lease TTL). */
    CONNECTING,
    /** With the fleet: a withdrawal needs enough other announcers. */
    FLEET,
    /** etcd unreachable for longer than the lease TTL: health decides alone. */
    ALONE
  }

  public FleetStatus {
    held = new TreeMap<>(held);
  }

  static FleetStatus initial(String node) {
    return new FleetStatus(node, Mode.CONNECTING, 0, 0, 0, 0, "", new TreeMap<>());
  }

  /** Returns the held prefixes and why, unmodifiable. */
  public Map<IpPrefix, String> heldPrefixes() {
    return java.util.Collections.unmodifiableSortedMap(held);
  }
}
