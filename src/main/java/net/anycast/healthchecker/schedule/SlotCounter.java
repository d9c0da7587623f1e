package net.anycast.healthchecker.schedule;

import java.time.Duration;

/**
 * What one service's loop did with its slots, since the daemon started: a reload that replaces
 * the service's checks hands the counter to the new loop, so the metrics never go backwards.
 * Only the loop writes it (under its lock); a scrape reads a {@link SlotCounts} copy.
 */
final class SlotCounter {
  /**
   * A slot counts as late when its run starts more than this after the slot's time: a busy
   * reactor or executor, not the few hundred microseconds of a timer's wake-up.
   */
  static final Duration LATE = Duration.ofMillis(100);

  private long started;
  private long late;
  private long skipped;
  private long latenessNanos;

  /** Records that the run of a slot started {@code latenessNanos} after the slot's time. */
  synchronized void started(long latenessNanos) {
    started++;
    long lateness = Math.max(0, latenessNanos);
    this.latenessNanos += lateness;
    if (lateness > LATE.toNanos()) {
      late++;
    }
  }

  /** Records that {@code n} slots passed while a run was in flight: none of them ran. */
  synchronized void skipped(long n) {
    skipped += n;
  }

  /** Returns the counts of {@code service} now. */
  synchronized SlotCounts read(String service) {
    return new SlotCounts(service, started, late, skipped, Duration.ofNanos(latenessNanos));
  }
}
