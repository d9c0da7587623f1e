package net.anycast.healthchecker.bird;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the reconciler holds its next pass after a reconfigure, so that one slot's burst of
 * check results costs two reconfigures instead of one every few milliseconds.
 *
 * <p>The checks of one slot finish over tens to hundreds of milliseconds (fork cost; on a
 * loaded 2-core machine 200 results came in clumps up to 220 ms apart), not at one instant,
 * and BIRD's peers sometimes learn of closely following reconfigures seconds late. So after a
 * reconfigure the next pass waits until no check that was due when the hold began is left
 * (nothing more of this slot can change), but never longer than {@code max}. Checks due later
 * do not hold it: with many services on short intervals the next slot's checks start before the
 * last of this one end, and waiting for "no check running" made every hold last {@code max}
 * (issue 15). A change that finds the reconciler idle is applied at once.
 *
 * @param max the longest a held change waits; zero: no holdoff
 */
public record Holdoff(Duration max) {
  /** The production holdoff: a second at most, short next to check intervals times rise/fall. */
  public static final Holdoff DEFAULT = new Holdoff(Duration.ofSeconds(1));

  /** No holdoff: every pass follows the previous one at once. */
  public static final Holdoff NONE = new Holdoff(Duration.ZERO);

  /** How often a hold looks whether the checks are done. */
  static final Duration POLL = Duration.ofMillis(5);

  public Holdoff {
    Objects.requireNonNull(max, "max");
    if (max.isNegative()) {
      throw new IllegalArgumentException("max must be >= 0");
    }
  }

  /** Returns whether a reconfigure starts a hold at all. */
  boolean enabled() {
    return max.isPositive();
  }

  /**
   * Returns whether the held pass may run at {@code nowNanos}: no check due by the hold's start
   * is left ({@code dueAtStartLeft}), or the hold that began at {@code holdStartedNanos} (same
   * monotonic clock) reached its maximum.
   */
  boolean over(long nowNanos, long holdStartedNanos, int dueAtStartLeft) {
    return dueAtStartLeft == 0 || nowNanos - holdStartedNanos >= max.toNanos();
  }
}
