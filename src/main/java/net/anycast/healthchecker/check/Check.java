package net.anycast.healthchecker.check;

import java.time.Duration;

/** One kind of health check, run once per iteration of a service's loop. */
public interface Check {

  /**
   * Returns the outcome of running the check once, within {@code timeout}.
   *
   * @throws InterruptedException when the loop is being closed; whatever the check started has
   *     been killed and reaped by then
   */
  CheckResult run(Duration timeout) throws InterruptedException;

  /** Returns what the check runs, for the "running …" log line. */
  String describe();
}
