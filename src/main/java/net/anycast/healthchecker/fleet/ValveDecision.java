package net.anycast.healthchecker.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.anycast.healthchecker.config.MinAnnouncers;

/**
 * Whether this node may withdraw a prefix its health says to withdraw: only when at least the
 * floor of {@code fleet_min_announcers} other nodes announce it. Pure.
 *
 * <p>The answer names the other announcers that make it true ({@code witnesses}): the withdrawal
 * is then made in one etcd transaction that deletes this node's key only if each witness's key
 * still exists. Two nodes deciding at the same moment cannot both go below the floor: the second
 * transaction finds a witness gone (the first node's key) or has witnesses of its own that are
 * still there.
 *
 * <p>So that a fleet-wide failure settles in one round instead of a cascade of lost races,
 * witnesses are chosen among the nodes that will stay: first the announcers that are not down
 * themselves, then — when those are fewer than the floor — the <em>keepers</em>: the down
 * announcers first in name order (this node included), as many as the floor still needs. A
 * keeper does not withdraw while that holds, and everyone else's witnesses are the keepers, so
 * every other down node's transaction goes through at once.
 *
 * @param allowed the withdrawal may be asked for
 * @param others how many other nodes announce the prefix
 * @param floor how many must (from {@code fleet_min_announcers} and {@code registered})
 * @param registered nodes registered for the prefix, this one included
 * @param witnesses the other announcers whose keys the transaction checks; empty when refused
 * @param keeper refused because this node is one of the down announcers that keep the floor
 */
record ValveDecision(boolean allowed, int others, int floor, int registered,
    List<String> witnesses, boolean keeper) {

  ValveDecision(boolean allowed, int others, int floor, int registered, List<String> witnesses) {
    this(allowed, others, floor, registered, witnesses, false);
  }

  /** Decides with every other announcer taken as staying (none is known to be down). */
  static ValveDecision decide(String self, Set<String> announcers, Set<String> members,
      MinAnnouncers min) {
    return decide(self, announcers, Set.of(), members, min);
  }

  /**
   * @param self this node's name
   * @param announcers the nodes whose announcer key for the prefix exists (this one may be among
   *     them)
   * @param down the announcers whose key says they are down (held, asking to withdraw)
   * @param members the nodes registered for the prefix (this one may be missing, if its own
   *     registration is not in yet)
   */
  static ValveDecision decide(String self, Set<String> announcers, Set<String> down,
      Set<String> members, MinAnnouncers min) {
    Set<String> others = new TreeSet<>(announcers);
    others.remove(self);
    Set<String> registered = new TreeSet<>(members);
    registered.addAll(announcers); // an announcer counts even if its registration is late
    registered.add(self);
    int floor = min.floor(registered.size());
    if (others.size() < floor) {
      return new ValveDecision(false, others.size(), floor, registered.size(), List.of());
    }
    List<String> staying = new ArrayList<>(); // up first, then down, each in name order
    others.stream().filter(n -> !down.contains(n)).forEach(staying::add);
    int keepersNeeded = Math.max(0, floor - staying.size());
    TreeSet<String> downRanked = new TreeSet<>(down);
    downRanked.retainAll(others);
    downRanked.add(self);
    List<String> keepers = downRanked.stream().limit(keepersNeeded).toList();
    if (keepers.contains(self)) {
      return new ValveDecision(false, others.size(), floor, registered.size(), List.of(), true);
    }
    staying.addAll(keepers);
    return new ValveDecision(true, others.size(), floor, registered.size(),
        List.copyOf(staying.subList(0, floor)), false);
  }

  /** Returns the reason, for a log line and the status API. */
  String why() {
    String counts = others + " other node(s) announce it, at least " + floor + " must ("
        + registered + " registered)";
    return keeper ? counts + "; this node is one of the down nodes that keep the floor (the"
        + " first by name), so the others may go" : counts;
  }
}
