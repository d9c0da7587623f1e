package net.anycast.healthchecker.health;

/**
 * The result of feeding one observation to a {@link HealthTracker}.
 *
 * @param previous the established health before the observation
 * @param next the tracker after it
 */
public record Transition(Health previous, HealthTracker next) {

  /** Returns the established health after the observation. */
  public Health health() {
    return next.health();
  }

  /** Returns true when the established health changed: the only time routes must change. */
  public boolean changed() {
    return previous != next.health();
  }
}
