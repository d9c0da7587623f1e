package net.anycast.healthchecker.bird;

import java.time.Duration;
import java.util.PriorityQueue;

/** A {@link PassScheduler} whose clock moves only when a test says so. Single-threaded. */
final class ManualScheduler implements PassScheduler {
  private record Task(long at, long seq, Runnable run) {}

  private final PriorityQueue<Task> queue = new PriorityQueue<>(
      (a, b) -> a.at == b.at ? Long.compare(a.seq, b.seq) : Long.compare(a.at, b.at));
  private long now = 1_000_000_000L; // a monotonic clock: only differences count
  private long seq;

  @Override
  public void schedule(Runnable task, Duration delay) {
    queue.add(new Task(now + delay.toNanos(), seq++, task));
  }

  @Override
  public long nanoTime() {
    return now;
  }

  /** Runs every task due now, including tasks they schedule for now; returns how many ran. */
  int runDue() {
    int n = 0;
    while (!queue.isEmpty() && queue.peek().at <= now) {
      queue.poll().run.run();
      if (++n > 10_000) {
        throw new IllegalStateException("tasks keep scheduling themselves");
      }
    }
    return n;
  }

  /** Moves the clock by {@code d} and runs what became due. */
  int advance(Duration d) {
    now += d.toNanos();
    return runDue();
  }

  /** Returns the delay until the next task, or null when none is queued. */
  Duration nextDelay() {
    return queue.isEmpty() ? null : Duration.ofNanos(queue.peek().at - now);
  }

  /** Used by controls that "take time". */
  void tick(Duration d) {
    now += d.toNanos();
  }
}
