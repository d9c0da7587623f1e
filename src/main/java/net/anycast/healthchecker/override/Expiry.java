package net.anycast.healthchecker.override;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -e} of {@code drain}: a duration from now ({@code 90s}, {@code 30m}, {@code 2h},
 * {@code 1d}, {@code 1h30m}) or a Unix time ({@code 1767225600}, as {@code hadown -e} takes it).
 * Pure. A bare number below 1,000,000,000 is refused: it is surely a duration without its unit,
 * and as a Unix time it would lie in 2001 and end the drain at once.
 */
public final class Expiry {
  private static final Pattern DURATION = Pattern.compile("(?:([0-9]+)d)?(?:([0-9]+)h)?"
      + "(?:([0-9]+)m)?(?:([0-9]+)s)?");
  private static final Pattern UNIX = Pattern.compile("[0-9]+(?:\\.[0-9]+)?");
  private static final BigDecimal FIRST_PLAUSIBLE = BigDecimal.valueOf(1_000_000_000L);
  public static final String ALLOWED = "expected a duration such as 90s, 30m, 2h, 1d or 1h30m, or a"
      + " Unix time such as 1767225600";

  private Expiry() {}

  /** Returns when a drain given {@code text} ends, seen at {@code now}. */
  public static Instant parse(String text, Instant now) {
    String t = text.strip();
    Matcher m = DURATION.matcher(t);
    if (!t.isEmpty() && m.matches() && !UNIX.matcher(t).matches()) {
      Duration d = Duration.ZERO;
      long[] unit = {86_400, 3_600, 60, 1};
      try {
        for (int i = 0; i < 4; i++) {
          if (m.group(i + 1) != null) {
            d = d.plusSeconds(Math.multiplyExact(Long.parseLong(m.group(i + 1)), unit[i]));
          }
        }
        if (d.isZero()) {
          throw new IllegalArgumentException("'" + text + "': a drain of no time; " + ALLOWED);
        }
        return now.plus(d);
      } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
        // More digits than a long holds, or past the last Instant: nothing an operator means.
        throw tooFar(text);
      }
    }
    if (UNIX.matcher(t).matches()) {
      BigDecimal seconds = new BigDecimal(t);
      if (seconds.compareTo(FIRST_PLAUSIBLE) < 0) {
        throw new IllegalArgumentException("'" + text + "': a bare number is a Unix time and"
            + " this one lies in the past; for a duration add a unit (" + t + "s, " + t + "m)");
      }
      Instant at;
      try {
        // Exact: longValue() would wrap a number past the range of epoch milliseconds into
        // some other time, in the past or in a random future.
        at = Instant.ofEpochMilli(
            seconds.movePointRight(3).setScale(0, RoundingMode.DOWN).longValueExact());
      } catch (ArithmeticException e) {
        throw tooFar(text);
      }
      if (!at.isAfter(now)) {
        throw new IllegalArgumentException("'" + text + "': " + at + " is in the past");
      }
      return at;
    }
    throw new IllegalArgumentException("'" + text + "': not understood; " + ALLOWED);
  }

  private static IllegalArgumentException tooFar(String text) {
    return new IllegalArgumentException("'" + text + "': too far away; " + ALLOWED);
  }
}
