package net.anycast.healthchecker.bird;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/** A {@link PassScheduler} whose clock moves only when a test says so. Single-threaded. */
final class ManualScheduler implements PassScheduler {
  private record Task(Instant at, long seq, Runnable run) {}

  private final PriorityQueue<Task> queue = new PriorityQueue<>(
      (a, b) -> a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private long seq;

  @Override
  public void schedule(Runnable task, Duration delay) {
    queue.add(new Task(now.plus(delay), seq++, task));
  }

  @Override
  public Instant now() {
    return now;
  }

  /** Runs every task due now, including tasks they schedule for now; returns how many ran. */
  int runDue() {
    int n = 0;
    while (!queue.isEmpty() && !queue.peek().at.isAfter(now)) {
      queue.poll().run.run();
      if (++n > 10_000) {
        throw new IllegalStateException("tasks keep scheduling themselves");
      }
    }
    return n;
  }

  /** Moves the clock by {@code d} and runs what became due. */
  int advance(Duration d) {
    now = now.plus(d);
    return runDue();
  }

  /** Returns the delay until the next task, or null when none is queued. */
  Duration nextDelay() {
    return queue.isEmpty() ? null : Duration.between(now, queue.peek().at);
  }

  /** Used by controls that "take time". */
  void tick(Duration d) {
    now = now.plus(d);
  }
}
