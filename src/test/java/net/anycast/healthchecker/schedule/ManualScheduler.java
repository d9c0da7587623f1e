package net.anycast.healthchecker.schedule;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/** A scheduler whose time moves only when a test says so. */
final class ManualScheduler implements Scheduler {
  private static final class Task {
    final long at;
    final long seq;
    final Runnable body;
    boolean cancelled;

    Task(long at, long seq, Runnable body) {
      this.at = at;
      this.seq = seq;
      this.body = body;
    }
  }

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(Comparator.<Task>comparingLong(t -> t.at).thenComparingLong(t -> t.seq));
  private long now = 1_000_000_000L; // arbitrary, not zero, to catch absolute-time mistakes
  private long seq;
  private boolean closed;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Scheduled schedule(long atNanos, Runnable task) {
    Task t = new Task(atNanos, seq++, task);
    if (!closed) {
      queue.add(t);
    }
    return () -> {
      synchronized (this) {
        t.cancelled = true;
        queue.remove(t);
      }
    };
  }

  /** Moves time forward by {@code d}, running every task that falls due, in time order. */
  void advance(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.at > target) {
          now = Math.max(now, target);
          return;
        }
        queue.poll();
        now = Math.max(now, next.at);
      }
      next.body.run();
    }
  }

  /** Moves time forward without running anything, as a check that takes a while does. */
  synchronized void elapse(Duration d) {
    now += d.toNanos();
  }

  /** Returns the number of tasks waiting. */
  synchronized int pending() {
    return queue.size();
  }

  /** Returns the elapsed time since the scheduler was made, for readable assertions. */
  synchronized Duration elapsed() {
    return Duration.ofNanos(now - 1_000_000_000L);
  }

  @Override
  public synchronized void close() {
    closed = true;
    queue.clear();
  }
}
