package net.anycast.healthchecker.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One check of a service as its last run left it, for the status API and the per-kind metrics.
 *
 * @param kind {@code exec}, {@code http}, {@code tcp} or {@code dns}
 * @param target what the check probes (the command, URL, address or name)
 * @param started when the last run began; null before the first
 * @param took how long the last run took
 * @param passed whether the last run passed
 * @param result {@code passed}, {@code failed}, {@code timed out} or {@code could not run}
 * @param reason the short reason, such as {@code HTTP 503 from http://…} or {@code exit 2}
 * @param exitCode an exec check's exit code as the metrics show it; -1 for a built-in check
 *     or before the first run
 * @param runs runs so far
 * @param failures runs that did not pass
 * @param timeouts runs that hit {@code check_timeout}
 */
public record CheckState(String kind, String target, Instant started, Duration took,
    boolean passed, String result, String reason, int exitCode, long runs, long failures,
    long timeouts) {

  public CheckState {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(took, "took");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(reason, "reason");
  }

  /** Returns the state of a check that has not run yet. */
  public static CheckState initial(String kind, String target) {
    return new CheckState(kind, target, null, Duration.ZERO, false, "not run", "", -1, 0, 0, 0);
  }

  /** Returns the state after one more run. */
  public CheckState after(Instant started, Duration took, boolean passed, String result,
      String reason, int exitCode, boolean timedOut) {
    return new CheckState(kind, target, started, took, passed, result, reason, exitCode,
        runs + 1, failures + (passed ? 0 : 1), timeouts + (timedOut ? 1 : 0));
  }
}
