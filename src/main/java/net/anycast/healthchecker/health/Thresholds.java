package net.anycast.healthchecker.health;

/**
 * How many consecutive results establish a state: {@code check_rise} successes for UP,
 * {@code check_fail} failures for DOWN.
 */
public record Thresholds(int rise, int fall) {

  public Thresholds {
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException(
          "rise and fall must be at least 1, got rise=" + rise + " fall=" + fall);
    }
  }
}
