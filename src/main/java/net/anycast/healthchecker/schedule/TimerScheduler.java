package net.anycast.healthchecker.schedule;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link Scheduler}: one platform thread times every service's loop, whatever
 * the number of services; the checks themselves run elsewhere (on virtual threads).
 */
public final class TimerScheduler implements Scheduler {
  private final ScheduledThreadPoolExecutor timer;

  /** Returns a scheduler with its timer thread started. */
  public TimerScheduler() {
    timer =
        new ScheduledThreadPoolExecutor(
            1, task -> Thread.ofPlatform().daemon().name("check-timer").unstarted(task));
    // Cancelled slots (SIGURG, close) leave the queue at once instead of at their due time.
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Scheduled schedule(long atNanos, Runnable task) {
    ScheduledFuture<?> f = timer.schedule(task, atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
