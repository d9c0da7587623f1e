package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A check that runs without a thread of its own: {@link #begin} starts non-blocking I/O on a
 * reactor and returns; the reactor thread reports the result. {@link #run} waits for it, for
 * the callers that have a thread to block (a service whose other check runs a command).
 */
public interface ReactorCheck extends Check {

  /**
   * Returns whether {@link #begin} may be used: true for the checks that only run on a reactor;
   * a command only when its runner can begin it without a thread.
   */
  default boolean nonBlocking() {
    return true;
  }

  /**
   * Begins one run within {@code timeout} and returns at once; {@code done} gets the result
   * once, on the check's reactor thread (a command's: on the thread that watches check
   * processes). One run at a time: the loop never overlaps itself.
   */
  void begin(Duration timeout, Consumer<CheckResult> done);

  @Override
  default CheckResult run(Duration timeout) throws InterruptedException {
    CompletableFuture<CheckResult> result = new CompletableFuture<>();
    begin(timeout, result::complete);
    try {
      // The run ends by itself at its deadline: nothing to stop on interrupt.
      return result.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a check threw instead of returning a result", e.getCause());
    }
  }
}
