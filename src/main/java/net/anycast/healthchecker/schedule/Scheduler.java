package net.anycast.healthchecker.schedule;

/**
 * Time for the service loops: a monotonic clock and a timer. Tests use a manual one and move
 * time by hand; production uses {@link ReactorScheduler}.
 */
public interface Scheduler extends AutoCloseable {

  /** Returns the current time of a monotonic clock, in nanoseconds (only differences count). */
  long nanoTime();

  /**
   * Returns a handle to a task that runs once at or after {@code atNanos} on the timer.
   * The task must be quick and must not block: it begins a check or hands work to an
   * executor.
   */
  Scheduled schedule(long atNanos, Runnable task);

  /**
   * Returns the scheduler of one service's loop: this one, unless the scheduler spreads
   * services over several threads (then the one the service's built-in checks run on).
   */
  default Scheduler of(String service) {
    return this;
  }

  /** Stops the timer; pending tasks never run. */
  @Override
  void close();

  /** A pending task. */
  interface Scheduled {
    /** Makes sure the task will not start (it may already be running). */
    void cancel();
  }
}
