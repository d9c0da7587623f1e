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
 * begun: a missed slot is skipped and counted, never queued, so an overloaded daemon holds one
 * run per service and no more. {@link #runNow} runs an extra iteration at once (SIGURG) and
 * leaves the grid alone: the next slot stays where it was.
 *
 * <p>Timing happens on the {@link Scheduler}'s thread, which begins the iteration
 * ({@link Iteration#begin}): a built-in check starts its non-blocking I/O there and reports when
 * it ends; anything that blocks is handed to an executor first ({@link #onExecutor}).
 */
final class ServiceLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLoop.class);

  /** The work of one iteration. */
  @FunctionalInterface
  interface Iteration {
    /**
     * Begins one iteration without blocking, and calls {@code done} once when it has ended, on
     * any thread (perhaps before returning). Throwing ends the iteration as failed.
     */
    void begin(Runnable done);
  }

  /** An iteration that blocks its thread until it ends. */
  @FunctionalInterface
  interface Blocking {
    void run() throws InterruptedException;
  }

  private final String name;
  private final long intervalNanos;
  private final Scheduler scheduler;
  private final Iteration iteration;
  private final DueChecks.Slot owed;
  private final SlotCounter slots;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock:
  private long startNanos;
  private long nextSlot;
  private long armed; // identifies the live timer task; stale ones compare unequal and do nothing
  private long runs; // identifies the run in flight; a second done() of it does nothing
  private Scheduler.Scheduled pending;
  private boolean running;
  private boolean closed;

  ServiceLoop(String name, Duration interval, Scheduler scheduler, Iteration iteration) {
    this(name, interval, scheduler, iteration, new DueChecks().register(), new SlotCounter());
  }

  /**
   * @param owed where the loop says which check it owes, for the BIRD side's holds
   * @param slots where the loop counts its slots (a replaced loop's counter goes on)
   */
  ServiceLoop(String name, Duration interval, Scheduler scheduler, Iteration iteration,
      DueChecks.Slot owed, SlotCounter slots) {
    if (!interval.isPositive()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    this.name = name;
    this.intervalNanos = interval.toNanos();
    this.scheduler = scheduler;
    this.iteration = iteration;
    this.owed = owed;
    this.slots = slots;
  }

  /**
   * Returns an iteration that runs {@code body} on {@code executor}: for checks that block their
   * thread (a command, a TLS handshake). A body that throws is logged and the loop goes on.
   */
  static Iteration onExecutor(String name, Executor executor, Blocking body) {
    return done -> executor.execute(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // close() interrupts running iterations
      } catch (RuntimeException e) {
        logFailed(name, e);
      } finally {
        done.run();
      }
    });
  }

  /**
   * The original exits when a loop dies; we log and go on with the next slot, and the status
   * snapshot's lastProgress (not advanced by a failed iteration) lets the watchdog notice a loop
   * that keeps failing.
   */
  private static void logFailed(String name, RuntimeException e) {
    LOG.error("iteration of {} failed", name, e);
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

  /** Returns the loop's slot counts so far. */
  SlotCounts slots() {
    return slots.read(name);
  }

  /** Stops the loop: no iteration starts any more (a running one is left to end). */
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

  /** Begins an iteration: for the armed slot when token is its id, an extra one when -1. */
  private void dispatch(long token) {
    long minNext;
    long run;
    lock.lock();
    try {
      if (closed || running || (token != -1 && token != armed)) {
        return;
      }
      running = true;
      run = ++runs;
      long now = scheduler.nanoTime();
      minNext = token == -1 ? nextSlot : nextSlot + 1;
      if (token == -1) { // an extra run is due now, unless the armed slot was already due
        owed.due(Math.min(startNanos + nextSlot * intervalNanos, now));
      } else {
        slots.started(now - (startNanos + nextSlot * intervalNanos));
      }
      disarm();
    } finally {
      lock.unlock();
    }
    try {
      iteration.begin(() -> finished(run, minNext));
    } catch (RejectedExecutionException e) { // the executor is shutting down: so are we
      lock.lock();
      try {
        running = false;
        owed.done();
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException e) {
      logFailed(name, e);
      finished(run, minNext);
    }
  }

  private void finished(long run, long minNext) {
    lock.lock();
    try {
      if (!running || run != runs) {
        return;
      }
      running = false;
      if (!closed) {
        nextSlot = Math.max(minNext, firstSlotAtOrAfter(scheduler.nanoTime()));
        slots.skipped(nextSlot - minNext);
        arm();
      } else {
        owed.done();
      }
    } finally {
      lock.unlock();
    }
  }

  private long firstSlotAtOrAfter(long now) {
    long since = now - startNanos;
    return since <= 0 ? 0 : Math.ceilDiv(since, intervalNanos);
  }
}
