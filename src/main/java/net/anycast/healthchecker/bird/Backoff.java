package net.anycast.healthchecker.bird;

import java.time.Duration;

/**
 * Capped exponential delays between retries of a failed write or reconfigure.
 *
 * @param initial the delay after the first failure
 * @param max the cap: the longest a fixed BIRD or disk waits for the next try
 */
public record Backoff(Duration initial, Duration max) {
  /** 200 ms doubling to 5 s: BIRD back after a restart is seen within seconds. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
  }

  /** Returns the delay before the next try after {@code failures} consecutive failures (≥ 1). */
  public Duration delay(int failures) {
    int doublings = Math.min(Math.max(0, failures - 1), 30);
    Duration d = initial.multipliedBy(1L << doublings);
    return d.compareTo(max) > 0 ? max : d;
  }
}
