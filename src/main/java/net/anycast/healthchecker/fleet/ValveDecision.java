package net.anycast.healthchecker.fleet;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.anycast.healthchecker.config.MinAnnouncers;

/**
 * Whether this node may withdraw a prefix its health says to withdraw: only when at least the
 * floor of {@code fleet_min_announcers} other nodes announce it. Pure.
 *
 * <p>The answer names the other announcers that make it true ({@code witnesses}, the first
 * {@code floor} of them in name order): the withdrawal is then made in one etcd transaction that
 * deletes this node's key only if each witness's key still exists. Two nodes deciding at the
 * same moment cannot both go below the floor: the second transaction finds a witness gone (the
 * first node's key) or has witnesses of its own that are still there.
 *
 * @param allowed the withdrawal may be asked for
 * @param others how many other nodes announce the prefix
 * @param floor how many must (from {@code fleet_min_announcers} and {@code registered})
 * @param registered nodes registered for the prefix, this one included
 * @param witnesses the other announcers whose keys the transaction checks; empty when refused
 */
record ValveDecision(boolean allowed, int others, int floor, int registered,
    List<String> witnesses) {

  /**
   * @param self this node's name
   * @param announcers the nodes whose announcer key for the prefix exists (this one may be among
   *     them)
   * @param members the nodes registered for the prefix (this one may be missing, if its own
   *     registration is not in yet)
   */
  static ValveDecision decide(String self, Set<String> announcers, Set<String> members,
      MinAnnouncers min) {
    Set<String> others = new TreeSet<>(announcers);
    others.remove(self);
    Set<String> registered = new TreeSet<>(members);
    registered.addAll(announcers); // an announcer counts even if its registration is late
    registered.add(self);
    int floor = min.floor(registered.size());
    boolean allowed = others.size() >= floor;
    List<String> witnesses = allowed ? others.stream().limit(floor).toList() : List.of();
    return new ValveDecision(allowed, others.size(), floor, registered.size(), witnesses);
  }

  /** Returns the reason, for a log line and the status API. */
  String why() {
    return others + " other node(s) announce it, at least " + floor + " must (" + registered
        + " registered)";
  }
}
