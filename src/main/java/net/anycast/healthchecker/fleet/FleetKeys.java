package net.anycast.healthchecker.fleet;

import java.util.Optional;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * Where the valve keeps its facts in etcd, below {@code fleet_key_prefix}:
 *
 * <pre>
 * PREFIX/10.52.0.1/32/members/NODE      a node configured for the prefix (announcing or not)
 * PREFIX/10.52.0.1/32/announcers/NODE   a node announcing it
 * </pre>
 *
 * Both live under the node's lease, so a node that dies drops out within the lease's TTL. The
 * IP prefix keeps its {@code /}; a key is read from its end (node names have no {@code /}).
 */
record FleetKeys(String root) {
  static final String MEMBERS = "members";
  static final String ANNOUNCERS = "announcers";

  /** One key, read back. */
  record Key(IpPrefix prefix, String role, String node) {}

  /** Returns the key prefix of every key of the valve (ends with {@code /}). */
  String all() {
    return root + "/";
  }

  /** Returns the key prefix of one IP prefix's keys (ends with {@code /}). */
  String of(IpPrefix prefix) {
    return root + "/" + prefix + "/";
  }

  String member(IpPrefix prefix, String node) {
    return of(prefix) + MEMBERS + "/" + node;
  }

  String announcer(IpPrefix prefix, String node) {
    return of(prefix) + ANNOUNCERS + "/" + node;
  }

  /**
   * Returns what a key of the valve says; empty for any other key below the root, and for a
   * prefix not written as {@link IpPrefix#toString} writes it.
   */
  Optional<Key> parse(String key) {
    if (!key.startsWith(all())) {
      return Optional.empty();
    }
    String rest = key.substring(all().length());
    int nodeAt = rest.lastIndexOf('/');
    if (nodeAt <= 0) {
      return Optional.empty();
    }
    int roleAt = rest.lastIndexOf('/', nodeAt - 1);
    if (roleAt <= 0) {
      return Optional.empty();
    }
    String role = rest.substring(roleAt + 1, nodeAt);
    String node = rest.substring(nodeAt + 1);
    if (!(role.equals(MEMBERS) || role.equals(ANNOUNCERS)) || node.isEmpty()) {
      return Optional.empty();
    }
    String text = rest.substring(0, roleAt);
    IpPrefix prefix;
    try {
      prefix = IpPrefix.parse(text);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // Only the form this class writes: a witness's key is rebuilt from the prefix, so a key
    // written otherwise (10.0.0.1 without /32, 2001:0db8::…) would count as an announcer whose
    // key no transaction ever finds, and the node would be held for good.
    return prefix.toString().equals(text) ? Optional.of(new Key(prefix, role, node))
        : Optional.empty();
  }
}
