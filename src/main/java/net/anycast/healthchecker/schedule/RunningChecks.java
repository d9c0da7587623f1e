package net.anycast.healthchecker.schedule;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many service iterations are running now. Zero means no health can change before the next
 * scheduled check, which lets the BIRD side stop holding a pass for the rest of a burst.
 */
public final class RunningChecks {
  private final AtomicInteger running = new AtomicInteger();

  /** Records that a service loop began an iteration (its result may change a health). */
  public void started() {
    running.incrementAndGet();
  }

  /** Records that an iteration ended, whatever its outcome. */
  public void finished() {
    running.decrementAndGet();
  }

  /** Returns how many iterations are running now. */
  public int count() {
    return running.get();
  }
}
