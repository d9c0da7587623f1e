package net.anycast.healthchecker.daemon;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Tells when the JVM's JIT compiler has gone quiet, from the total time it has spent compiling.
 *
 * <p>Why the change rehearsal waits for it: a compilation the JIT queues is dropped as stale when
 * its method has not run again for about 50 ms by the time the compiler gets to it. Right after
 * the start the compiler is busy for a second or two (the AOT cache's eager compilations), so what
 * a rehearsal asks for then is dropped again and compiled at the first real change after all.
 */
final class CompilerIdle {
  /** Waits; a sleep in production, a recorded step in tests. */
  @FunctionalInterface
  interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  /** How often the compile time is read. */
  static final Duration POLL = Duration.ofMillis(50);
  /** Reads without a change that make "quiet": 150 ms without a compilation ending. */
  static final int QUIET_POLLS = 3;

  private final LongSupplier compiledMillis;
  private final Pause pause;

  /**
   * @param compiledMillis the total time the JIT has spent compiling, in milliseconds; a
   *     constant (the JVM does not count) makes the compiler always quiet
   */
  CompilerIdle(LongSupplier compiledMillis, Pause pause) {
    this.compiledMillis = compiledMillis;
    this.pause = pause;
  }

  /** Returns the JVM's compiler, or a quiet one when the JVM does not count compile time. */
  static CompilerIdle system() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    LongSupplier time = jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit::getTotalCompilationTime : () -> 0;
    return new CompilerIdle(time, d -> Thread.sleep(d));
  }

  /** Returns the total time the JIT has spent compiling, in milliseconds. */
  long compiledMillis() {
    return compiledMillis.getAsLong();
  }

  /**
   * Waits until no compilation has ended for {@link #QUIET_POLLS} reads in a row, but not longer
   * than {@code limit}; returns whether the compiler went quiet.
   */
  boolean await(Duration limit) throws InterruptedException {
    long last = compiledMillis.getAsLong();
    int quiet = 0;
    for (long polls = limit.dividedBy(POLL); polls > 0; polls--) {
      pause.pause(POLL);
      long now = compiledMillis.getAsLong();
      quiet = now == last ? quiet + 1 : 0;
      last = now;
      if (quiet >= QUIET_POLLS) {
        return true;
      }
    }
    return false;
  }
}
