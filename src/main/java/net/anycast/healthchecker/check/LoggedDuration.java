package net.anycast.healthchecker.check;

import java.time.Duration;

/**
 * A duration as the original logs it: milliseconds or seconds with three decimals, as Python's
 * {@code "%.3f"} (and Java's) prints them, rounding half up. A log argument: its text is made only
 * when a record is written, so a check logged at {@code info} costs nothing at {@code warning},
 * and is made with integer arithmetic instead of {@code String.format} (issue 12: formatting was
 * a measurable part of the CPU of a check).
 *
 * @param nanos the duration
 * @param unitNanos nanoseconds per printed unit (10⁶ for milliseconds, 10⁹ for seconds)
 */
record LoggedDuration(long nanos, long unitNanos) {
  static LoggedDuration millis(Duration d) {
    return new LoggedDuration(d.toNanos(), 1_000_000);
  }

  static LoggedDuration seconds(Duration d) {
    return new LoggedDuration(d.toNanos(), 1_000_000_000);
  }

  /**
   * Returns {@code nanos / unitNanos} with three decimals. Exactly what {@code %.3f} gives for
   * the double {@code nanos / 1e6} (or {@code 1e9}): that double's shortest decimal form is the
   * exact quotient (at most 9 decimals), which Java's formatter rounds half up.
   */
  @Override
  public String toString() {
    long thousandth = unitNanos / 1000;
    long abs = Math.abs(nanos);
    long q = abs / thousandth + (abs % thousandth * 2 >= thousandth ? 1 : 0);
    StringBuilder text = new StringBuilder(16);
    if (nanos < 0) {
      text.append('-');
    }
    text.append(q / 1000).append('.');
    long frac = q % 1000;
    if (frac < 100) {
      text.append(frac < 10 ? "00" : "0");
    }
    return text.append(frac).toString();
  }
}
