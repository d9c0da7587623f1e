package net.anycast.healthchecker.schedule;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service's iterations on a fixed grid of slots, never two at once.
 *
 * <p>Slot k starts at {@code start + k·interval}, computed from {@code start} every time so
 * nothing drifts. An iteration that overruns makes the loop skip to the first slot not yet
 * begun. {@link #runNow} runs an extra iteration at once (SIGURG) and leaves the grid alone:
 * the next slot stays where it was. Timing happens on the {@link Scheduler}; iterations run on
 * the executor, so a blocked check never holds up the timer.
 */
final class ServiceLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLoop.class);

  /** The work of one iteration. */
  @FunctionalInterface
  interface Iteration {
    void run() throws InterruptedException;
  }

  private final String name;
  private final long intervalNanos;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Iteration iteration;
  private final DueChecks.Slot owed;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock:
  private long startNanos;
  private long nextSlot;
  private long armed; // identifies the live timer task; stale ones compare unequal and do nothing
  private Scheduler.Scheduled pending;
  private boolean running;
  private boolean closed;

  ServiceLoop(
      String name, Duration interval, Scheduler scheduler, Executor executor, Iteration iteration) {
    this(name, interval, scheduler, executor, iteration, new DueChecks().register());
  }

  /** @param owed where the loop says which check it owes, for the BIRD side's holds */
  ServiceLoop(String name, Duration interval, Scheduler scheduler, Executor executor,
      Iteration iteration, DueChecks.Slot owed) {
    if (!interval.isPositive()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    this.name = name;
    this.intervalNanos = interval.toNanos();
    this.scheduler = scheduler;
    this.executor = executor;
    this.iteration = iteration;
    this.owed = owed;
  }

  /** Places slot 0 at now + firstDelay and arms the timer for it. */
  void start(Duration firstDelay) {
    startAt(scheduler.nanoTime() + firstDelay.toNanos());
  }

  /** Places slot 0 at {@code slotZeroNanos} (the scheduler's clock) and arms the timer for it. */
  void startAt(long slotZeroNanos) {
    lock.lock();
    try {
      startNanos = slotZeroNanos;
      nextSlot = 0;
      arm();
    } finally {
      lock.unlock();
    }
  }

  /** Runs an iteration now unless one is running; the next slot does not move. */
  void runNow() {
    dispatch(-1);
  }

  /**
   * Returns when the next slot starts, on the scheduler's clock: the one armed, or while an
   * iteration runs, the one it runs for (already past).
   */
  long nextSlotNanos() {
    lock.lock();
    try {
      return startNanos + nextSlot * intervalNanos;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the loop: no iteration starts any more (a running one is left to the executor). */
  void stop() {
    lock.lock();
    try {
      closed = true;
      disarm();
      owed.done(); // a retired loop's results are no longer published: nothing to wait for
    } finally {
      lock.unlock();
    }
  }

  private void arm() {
    long token = ++armed;
    long slot = startNanos + nextSlot * intervalNanos;
    owed.due(slot);
    pending = scheduler.schedule(slot, () -> dispatch(token));
  }

  private void disarm() {
    armed++;
    if (pending != null) {
      pending.cancel();
      pending = null;
    }
  }

  /** Starts an iteration: for the armed slot when token is its id, an extra one when -1. */
  private void dispatch(long token) {
    long minNext;
    lock.lock();
    try {
      if (closed || running || (token != -1 && token != armed)) {
        return;
      }
      running = true;
      minNext = token == -1 ? nextSlot : nextSlot + 1;
      if (token == -1) { // an extra run is due now, unless the armed slot was already due
        owed.due(Math.min(startNanos + nextSlot * intervalNanos, scheduler.nanoTime()));
      }
      disarm();
    } finally {
      lock.unlock();
    }
    try {
      executor.execute(() -> runIteration(minNext));
    } catch (RejectedExecutionException e) { // the executor is shutting down: so are we
      lock.lock();
      try {
        running = false;
        owed.done();
      } finally {
        lock.unlock();
      }
    }
  }

  private void runIteration(long minNext) {
    try {
      iteration.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() interrupts running iterations
    } catch (RuntimeException e) {
      // The original exits when a loop dies; we log and go on with the next slot, and the
      // status snapshot's lastProgress (not advanced by a failed iteration) lets the watchdog
      // notice a loop that keeps failing.
      LOG.error("iteration of {} failed", name, e);
    } finally {
      lock.lock();
      try {
        running = false;
        if (!closed) {
          nextSlot = Math.max(minNext, firstSlotAtOrAfter(scheduler.nanoTime()));
          arm();
        } else {
          owed.done();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private long firstSlotAtOrAfter(long now) {
    long since = now - startNanos;
    return since <= 0 ? 0 : Math.ceilDiv(since, intervalNanos);
  }
}
