package net.anycast.healthchecker.schedule;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which service checks are due and not finished yet, by when they were due: what the BIRD side
 * holds a pass for after a reconfigure. Each loop has one {@link Slot}: the slot time of the
 * check it owes, armed (perhaps already late: a busy timer, a machine at its exec limit) or
 * running.
 *
 * <p>Why by due time and not "any check running": with hundreds of services on short intervals
 * the next slot's checks start before the last ones of a burst end, so some check always ran and
 * every hold lasted its full second (issue 15). Checks due after the hold began belong to a later
 * slot: their results are the next burst, not this one.
 */
public final class DueChecks {
  private final Set<Slot> live = ConcurrentHashMap.newKeySet();

  /** One loop's owed check: due at a time on the scheduler's monotonic clock, or none. */
  public final class Slot {
    private volatile long dueNanos = Long.MAX_VALUE;

    private Slot() {}

    /** Records that the loop owes the check of the slot at {@code nanos}. */
    void due(long nanos) {
      dueNanos = nanos;
    }

    /** Records that the loop owes nothing more (stopped); it is forgotten. */
    void done() {
      dueNanos = Long.MAX_VALUE;
      live.remove(this);
    }
  }

  /** Returns a new loop's slot, owing nothing until {@link Slot#due}. */
  Slot register() {
    Slot s = new Slot();
    live.add(s);
    return s;
  }

  /**
   * Returns how many loops owe a check that was due at or before {@code nanos} (the scheduler's
   * clock): armed and not started yet, or running.
   */
  public int dueBy(long nanos) {
    int n = 0;
    for (Slot s : live) {
      if (s.dueNanos <= nanos) {
        n++;
      }
    }
    return n;
  }
}
