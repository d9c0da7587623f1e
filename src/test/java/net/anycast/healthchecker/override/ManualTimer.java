package net.anycast.healthchecker.override;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;

/**
 * A wall clock and a timer that move only when a test says so. Tasks run on the test's thread,
 * each with the clock at its due time, so a wake-up "at the expiration" is seen exactly there.
 */
final class ManualTimer implements SpoolWatcher.Timer, InstantSource {
  private static final class Task {
    final Instant at;
    final long seq;
    final Runnable run;
    boolean cancelled;

    Task(Instant at, long seq, Runnable run) {
      this.at = at;
      this.seq = seq;
      this.run = run;
    }
  }

  private final PriorityQueue<Task> queue = new PriorityQueue<>(
      (a, b) -> a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
  private Instant now;
  private long seq;

  ManualTimer(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Runnable schedule(Duration delay, Runnable task) {
    Task t = new Task(now.plus(delay), seq++, task);
    queue.add(t);
    return () -> {
      synchronized (this) {
        t.cancelled = true;
      }
    };
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  /** Moves the clock by {@code d}, running each task that falls due at its own time. */
  void advance(Duration d) {
    Instant target;
    synchronized (this) {
      target = now.plus(d);
    }
    for (int n = 0; ; n++) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.at.isAfter(target)) {
          now = target;
          return;
        }
        queue.poll();
        now = next.at;
      }
      if (!next.cancelled) {
        next.run.run();
      }
      if (n > 10_000) {
        throw new IllegalStateException("tasks keep scheduling themselves");
      }
    }
  }

  /** Returns how many tasks wait and are not cancelled. */
  synchronized long pending() {
    return queue.stream().filter(t -> !t.cancelled).count();
  }

  /** Returns when the earliest live task is due, or null when none is. */
  synchronized Instant nextDue() {
    return queue.stream().filter(t -> !t.cancelled).map(t -> t.at).min(Instant::compareTo)
        .orElse(null);
  }
}
