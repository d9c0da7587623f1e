package net.anycast.healthchecker.process;

import java.time.Duration;
import java.util.List;

/** A started command as {@link ProcessRunner} waits for it and stops it. */
sealed interface Child permits JdkChild, NativeChild {

  /** Returns the pid, which is also the process-group and session id. */
  long pid();

  /** Returns true once the process was reaped and both of its output streams reached EOF. */
  boolean ended();

  /**
   * Waits until {@link #ended()} or until {@code System.nanoTime()} passes {@code deadline}.
   *
   * @return whether it ended
   */
  boolean awaitEnd(long deadline) throws InterruptedException;

  /**
   * Runs {@code then} once, when {@link #ended()} turns true: on the thread that saw the end
   * (the {@link ChildReactor}'s for a posix_spawn'ed child), or at once on the caller's when it
   * has ended already. It must not block.
   */
  void whenEnded(Runnable then);

  /** Returns how the command ended; only after {@link #ended()}. */
  ProcessResult result(Duration took);

  /** Returns the processes below this one now; empty once it is gone. */
  default List<ProcessHandle> descendants() {
    return ProcessHandle.of(pid()).map(h -> h.descendants().toList()).orElse(List.of());
  }

  /** Sends SIGKILL to the process itself, unless it was reaped already (its pid may be reused). */
  void killLeader();
}
