package net.anycast.healthchecker.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a loop last made progress, and how long it may go without before it counts as stuck.
 *
 * @param name a service name, or {@link #RECONCILER}
 * @param lastProgress when the loop last completed an iteration; a reconciler with nothing to do
 *     reports the current time (idle is not stuck)
 * @param allowedGap the longest healthy time between two completed iterations
 */
public record LoopProgress(String name, Instant lastProgress, Duration allowedGap) {
  /** The name under which the reconciler reports. */
  public static final String RECONCILER = "reconciler";

  /** Slack for a loaded machine: JVM pauses, slow process start, kill and reap of a timed-out check. */
  private static final Duration SLACK = Duration.ofSeconds(10);

  public LoopProgress {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lastProgress, "lastProgress");
    if (allowedGap == null || allowedGap.isNegative() || allowedGap.isZero()) {
      throw new IllegalArgumentException("allowedGap must be positive: " + allowedGap);
    }
  }

  /**
   * Returns the allowed gap for a service loop: two slots of {@code check_interval} plus a full
   * {@code check_timeout} each, plus slack. A check that overruns its slot makes the next one
   * start a slot later, so two slots is the longest healthy gap.
   */
  public static Duration allowedGapFor(Duration checkInterval, Duration checkTimeout) {
    return checkInterval.plus(checkTimeout).multipliedBy(2).plus(SLACK);
  }

  /** Returns how late the loop is at {@code now}: zero while within its allowed gap. */
  public Duration lateness(Instant now) {
    Duration late = Duration.between(lastProgress.plus(allowedGap), now);
    return late.isNegative() ? Duration.ZERO : late;
  }

  /** Returns whether the loop is stuck at {@code now}. */
  public boolean stalled(Instant now) {
    return now.isAfter(lastProgress.plus(allowedGap));
  }
}
