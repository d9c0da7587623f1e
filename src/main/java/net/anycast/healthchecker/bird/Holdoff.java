package net.anycast.healthchecker.bird;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

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
 * <p>A held change also goes out once no further change has come for {@code quiet}: on a machine
 * at its exec limit a slot's checks run late and spread over seconds, so checks "due by the hold's
 * start" may never all finish within {@code max}, and the burst's last change, arriving just
 * after a pass, waited the full {@code max} (issue 15: the peer 1.9 s after the last decisive
 * check). While results keep coming closer together than {@code quiet} they are still gathered
 * into one reconfigure; the last of a burst waits {@code quiet}, not {@code max}.
 *
 * @param max the longest a held change waits; zero: no holdoff
 * @param quiet how long without a further change lets a held change go out before {@code max};
 *     not longer than {@code max}
 */
public record Holdoff(Duration max, Duration quiet) {
  /**
   * The production holdoff: a second at most, short next to check intervals times rise/fall;
   * 250 ms of quiet, above the gaps between clumps of one slot's results on a loaded 2-core
   * machine (up to 220 ms), so a burst still costs a few reconfigures, not one per clump.
   */
  public static final Holdoff DEFAULT = new Holdoff(Duration.ofSeconds(1),
      Duration.ofMillis(250));

  /** No holdoff: every pass follows the previous one at once. */
  public static final Holdoff NONE = new Holdoff(Duration.ZERO);

  /** How often a hold looks whether the checks are done. */
  static final Duration POLL = Duration.ofMillis(5);

  public Holdoff {
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(quiet, "quiet");
    if (max.isNegative()) {
      throw new IllegalArgumentException("max must be >= 0");
    }
    if (quiet.isNegative() || quiet.compareTo(max) > 0) {
      throw new IllegalArgumentException("quiet must be between 0 and max");
    }
  }

  /** A holdoff without the quiet rule: a held change waits for the checks or {@code max}. */
  public Holdoff(Duration max) {
    this(max, max);
  }

  /** Returns whether a reconfigure starts a hold at all. */
  boolean enabled() {
    return max.isPositive();
  }

  /**
   * Returns whether the held pass may run at {@code nowNanos}: no check due by the hold's start
   * is left ({@code dueAtStartLeft}), or the hold that began at {@code holdStartedNanos} (same
   * monotonic clock) reached its maximum, or a change is held ({@code lastChangeNanos}, else
   * empty) and none has followed it for {@code quiet}.
   */
  boolean over(long nowNanos, long holdStartedNanos, int dueAtStartLeft,
      OptionalLong lastChangeNanos) {
    return dueAtStartLeft == 0 || nowNanos - holdStartedNanos >= max.toNanos()
        || lastChangeNanos.isPresent() && nowNanos - lastChangeNanos.getAsLong() >= quiet.toNanos();
  }
}
