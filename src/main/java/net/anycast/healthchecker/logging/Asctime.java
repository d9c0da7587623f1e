package net.anycast.healthchecker.logging;

import java.time.Instant;
import java.time.ZoneId;

/**
 * Python logging's {@code asctime} ({@code 2026-12-02 15:41:49,603}, local time) for one zone,
 * formatted through {@link LineFormat#ASCTIME} once per second: a busy daemon writes thousands
 * of records a second, and formatting a zoned date-time for each was a measurable part of the
 * CPU of a check (docs/benchmarks.md, issue 12). The text of the second is kept with the second
 * it is for, in one immutable value, so threads that race replace it with an equal one.
 */
final class Asctime {
  /** The text up to the seconds of one epoch second. */
  private record Second(long epochSecond, String text) {}

  private final ZoneId zone;
  private volatile Second last = new Second(Long.MIN_VALUE, "");

  Asctime(ZoneId zone) {
    this.zone = zone;
  }

  /** Returns {@code epochMillis} as {@code yyyy-MM-dd HH:mm:ss,SSS} in this zone. */
  String format(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    int millis = (int) Math.floorMod(epochMillis, 1000);
    Second s = last;
    if (s.epochSecond() != second) {
      String full = LineFormat.asctime(second * 1000, zone); // ends in ",000"
      s = new Second(second, full.substring(0, full.length() - 3));
      last = s;
    }
    StringBuilder text = new StringBuilder(s.text().length() + 3).append(s.text());
    if (millis < 100) {
      text.append(millis < 10 ? "00" : "0");
    }
    return text.append(millis).toString();
  }
}
