package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The one deadline of a built-in check's run: made from {@code check_timeout} when the run
 * starts and asked for the time left before every step (connect, handshake, each read).
 */
record Deadline(LongSupplier nanoTime, long start, long end) {

  /** Returns the deadline {@code timeout} after now. */
  static Deadline after(Duration timeout, LongSupplier nanoTime) {
    long now = nanoTime.getAsLong();
    return new Deadline(nanoTime, now, now + timeout.toNanos());
  }

  /** Returns the time left, at least 1 ms (socket APIs read 0 as "forever"). */
  int millisLeft() {
    long left = end - nanoTime.getAsLong();
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000));
  }

  /** Returns the time left, possibly negative. */
  Duration left() {
    return Duration.ofNanos(end - nanoTime.getAsLong());
  }

  /** Returns whether the deadline has passed. */
  boolean passed() {
    return nanoTime.getAsLong() >= end;
  }

  /** Returns the time since the run started. */
  Duration elapsed() {
    return Duration.ofNanos(nanoTime.getAsLong() - start);
  }
}
