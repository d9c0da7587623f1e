package net.anycast.healthchecker.health;

/**
 * The rise/fall rules of one service, as a value: no clock, no I/O, no logging.
 *
 * <p>Same rules as the original's loop: {@code rise} consecutive successes establish UP,
 * {@code fall} consecutive failures establish DOWN, a success resets the failure streak and
 * a failure the success streak. An unassigned IP sends the service DOWN at once and resets the
 * success streak; like the original it leaves the failure streak alone, which only changes
 * what "going down n/m" says while already DOWN.
 *
 * @param health the established state
 * @param okStreak consecutive successes, saturating at rise
 * @param failStreak consecutive failures, saturating at fall
 */
public record HealthTracker(Health health, int okStreak, int failStreak) {

  public HealthTracker {
    if (health == null) {
      throw new IllegalArgumentException("health is required");
    }
    if (okStreak < 0 || failStreak < 0 || (okStreak > 0 && failStreak > 0)) {
      throw new IllegalArgumentException(
          "streaks must be >= 0 and not both positive: " + okStreak + "/" + failStreak);
    }
  }

  /** Returns the tracker of a service that was never checked: UNKNOWN, no streaks. */
  public static HealthTracker initial() {
    return new HealthTracker(Health.UNKNOWN, 0, 0);
  }

  /**
   * Returns the transition a service makes when it starts: to DISABLED (published once, never
   * checked again) when {@code check_disabled}, otherwise none (it stays UNKNOWN).
   */
  public static Transition start(boolean checkDisabled) {
    HealthTracker first = checkDisabled ? new HealthTracker(Health.DISABLED, 0, 0) : initial();
    return new Transition(Health.UNKNOWN, first);
  }

  /** Returns the transition this observation causes; a DISABLED tracker never moves. */
  public Transition observe(Observation observation, Thresholds thresholds) {
    if (health == Health.DISABLED) {
      return new Transition(health, this);
    }
    HealthTracker next =
        switch (observation) {
          case PASSED -> {
            int ok = Math.min(okStreak + 1, thresholds.rise());
            yield new HealthTracker(ok == thresholds.rise() ? Health.UP : health, ok, 0);
          }
          case FAILED -> {
            int fail = Math.min(failStreak + 1, thresholds.fall());
            yield new HealthTracker(fail == thresholds.fall() ? Health.DOWN : health, 0, fail);
          }
          case IP_NOT_ASSIGNED -> new HealthTracker(Health.DOWN, 0, failStreak);
        };
    return new Transition(health, next);
  }
}
