package net.anycast.healthchecker.check;

import java.time.Duration;

/** How one run of a check ended. A failed check is a value, never an exception. */
public sealed interface CheckResult {

  /** Returns the exit code the original's metrics would show: 0, the code, 126 or 127. */
  int exitCode();

  /** Returns how long the run took; for a timeout, until the process group was killed. */
  Duration took();

  /** The command exited 0. */
  record Passed(Duration took) implements CheckResult {
    @Override
    public int exitCode() {
      return 0;
    }
  }

  /** The command exited non-zero (128 + n when killed by signal n). */
  record Failed(Duration took, int exitCode, CapturedOutput stdout, CapturedOutput stderr)
      implements CheckResult {}

  /** The command ran past {@code check_timeout}; its whole process group was killed. */
  record TimedOut(Duration took) implements CheckResult {
    /** The original's {@code _run_check} reports a timeout as 126 to its metrics. */
    @Override
    public int exitCode() {
      return 126;
    }
  }

  /** The command could not be started at all (fork failed, setsid missing). */
  record CouldNotRun(Duration took, String reason) implements CheckResult {
    /** 127 is what a shell reports for a command it could not run. */
    @Override
    public int exitCode() {
      return 127;
    }
  }
}
