package net.anycast.healthchecker.bird;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongToIntFunction;

/**
 * When the reconciler's passes run: at once when a change finds it idle; folded into the next
 * pass while one runs; held after a reconfigure until the slot's checks are done or its results
 * stop coming ({@link Holdoff}); retried with {@link Backoff} after a failure, where a new change starts a
 * pass at once. Passes never overlap: they all run on the one {@link PassScheduler} thread.
 */
final class PassPacer {
  /** How a pass ended. */
  enum Outcome {
    /** Everything in sync; BIRD was not told anything new. */
    IN_SYNC,
    /** Everything in sync after a reconfigure: more of the same burst may follow. */
    RECONFIGURED,
    /** Something failed: retry later. */
    FAILED
  }

  /** One pass of the reconciler. */
  @FunctionalInterface
  interface Pass {
    Outcome run() throws InterruptedException;
  }

  private enum Phase { IDLE, RUNNING, HOLDING_OFF, BACKOFF }

  private final Pass pass;
  private final PassScheduler scheduler;
  private final Backoff backoff;
  private final Holdoff holdoff;
  private final LongToIntFunction checksDueBy;

  private final Object lock = new Object();
  private Phase phase = Phase.IDLE; // guarded by lock
  private boolean dirty; // guarded by lock: a change came since the running pass began
  private long lastChange; // guarded by lock: when the latest change came (nanoTime)
  private long generation; // guarded by lock: invalidates a pending retry or hold
  private boolean closed; // guarded by lock
  private long passStarted; // guarded by lock: when the current pass began (nanoTime), while RUNNING
  private long holdStarted; // guarded by lock: when the current hold began (nanoTime)
  private int failures; // guarded by lock: failed passes in a row

  /**
   * @param checksDueBy how many service checks due at or before a time (the scheduler's clock)
   *     have not finished: a hold ends when none due by its start is left
   */
  PassPacer(Pass pass, PassScheduler scheduler, Backoff backoff, Holdoff holdoff,
      LongToIntFunction checksDueBy) {
    this.pass = pass;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.holdoff = holdoff;
    this.checksDueBy = checksDueBy;
  }

  /** Asks for a pass: at once when idle or waiting to retry, else folded into the next one. */
  void wake() {
    synchronized (lock) {
      dirty = true;
      lastChange = scheduler.nanoTime();
      if (closed || phase == Phase.RUNNING || phase == Phase.HOLDING_OFF) {
        return;
      }
      phase = Phase.RUNNING;
      passStarted = scheduler.nanoTime();
      generation++;
    }
    scheduler.schedule(this::runPasses, Duration.ZERO);
  }

  /**
   * Returns {@code now} while idle, holding or waiting to retry (nothing to do is not being
   * stuck), else when the running pass began, so a pass stuck in a write or a reconfigure
   * grows old for a watchdog.
   */
  long progress(long nowNanos) {
    synchronized (lock) {
      return phase == Phase.RUNNING ? passStarted : nowNanos;
    }
  }

  /** Stops scheduling passes; one already running finishes or is interrupted by its owner. */
  void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  private void retry(long gen) {
    synchronized (lock) {
      if (closed || phase != Phase.BACKOFF || gen != generation) {
        return; // a wake already started a pass
      }
      phase = Phase.RUNNING;
      passStarted = scheduler.nanoTime();
    }
    runPasses();
  }

  private void endHold(long gen) {
    synchronized (lock) {
      if (closed || phase != Phase.HOLDING_OFF || gen != generation) {
        return;
      }
      long now = scheduler.nanoTime();
      if (!holdoff.over(now, holdStarted, checksDueBy.applyAsInt(holdStarted),
          dirty ? OptionalLong.of(lastChange) : OptionalLong.empty())) {
        // checks of the burst's slot are still due and may still change something: wait for
        // them while their results keep coming; checks due later are the next slot's, and do
        // not hold this pass
        scheduler.schedule(() -> endHold(gen), Holdoff.POLL);
        return;
      }
      if (!dirty) {
        phase = Phase.IDLE;
        return;
      }
      phase = Phase.RUNNING;
      passStarted = now;
    }
    runPasses();
  }

  /** Runs passes until one sees no new change, or a failure or a reconfigure pauses them. */
  private void runPasses() {
    while (true) {
      synchronized (lock) {
        if (closed) {
          return;
        }
        dirty = false;
        passStarted = scheduler.nanoTime();
      }
      Outcome outcome;
      try {
        outcome = pass.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // closing
      }
      synchronized (lock) {
        if (closed) {
          return;
        }
        switch (outcome) {
          case FAILED -> {
            failures++;
            phase = Phase.BACKOFF;
            long gen = ++generation;
            scheduler.schedule(() -> retry(gen), backoff.delay(failures));
            return;
          }
          case RECONFIGURED -> {
            failures = 0;
            if (holdoff.enabled()) {
              phase = Phase.HOLDING_OFF;
              holdStarted = scheduler.nanoTime();
              long gen = ++generation;
              scheduler.schedule(() -> endHold(gen), Holdoff.POLL);
              return;
            }
          }
          case IN_SYNC -> failures = 0;
        }
        if (!dirty) {
          phase = Phase.IDLE;
          return;
        }
      }
    }
  }
}
