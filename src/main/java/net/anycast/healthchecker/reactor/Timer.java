package net.anycast.healthchecker.reactor;

/**
 * One task of a {@link Timers} heap. Made once and armed again and again (a check's deadline,
 * a loop's slot): arming allocates nothing. Only the thread that owns the heap arms and disarms.
 */
public final class Timer {
  final Runnable task;
  long atNanos;
  int index = -1; // position in the heap; -1 while not armed

  /** Returns a timer of {@code task}, not armed. */
  public Timer(Runnable task) {
    this.task = task;
  }

  /** Returns whether the timer is armed (waiting to run). */
  public boolean armed() {
    return index >= 0;
  }
}
