package net.anycast.healthchecker.bird;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where a {@link Reconciler} runs its passes and reads the time: one thread, so passes never
 * overlap. Tests use a manual implementation and move its clock instead of sleeping.
 */
public interface PassScheduler {
  /** Runs {@code task} on the scheduler's thread after {@code delay} (zero: as soon as free). */
  void schedule(Runnable task, Duration delay);

  /**
   * Returns the current time of a monotonic clock in nanoseconds (only differences count): holds
   * and progress are durations, and a step of the wall clock must not stretch or end them.
   */
  long nanoTime();

  /** Returns a scheduler with one daemon thread named {@code name}; close it to stop it. */
  static SingleThread singleThread(String name) {
    return new SingleThread(name);
  }

  /** The production scheduler: one named daemon thread and the system clock. */
  final class SingleThread implements PassScheduler, AutoCloseable {
    private final ScheduledExecutorService executor;

    private SingleThread(String name) {
      executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
      if (!executor.isShutdown()) {
        executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    /** Stops the thread, interrupting a pass in flight, and waits a little for it. */
    @Override
    public void close() {
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
