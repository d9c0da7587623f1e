package net.anycast.healthchecker.bird;

import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written stand-in for the service loops' due checks: each entry is a check due at a time
 * (the test scheduler's clock) and not finished; {@link #dueBy} is what the pacer asks.
 */
final class OwedChecks {
  private final List<Long> due = new ArrayList<>();

  /** Records a check due at {@code nanos}. */
  synchronized void due(long nanos) {
    due.add(nanos);
  }

  /** Records that the earliest-due check finished. */
  synchronized void finished() {
    due.stream().min(Long::compare).ifPresent(due::remove);
  }

  synchronized int dueBy(long nanos) {
    return (int) due.stream().filter(d -> d <= nanos).count();
  }
}
