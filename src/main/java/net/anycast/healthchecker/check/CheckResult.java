package net.anycast.healthchecker.check;

import java.time.Duration;
import net.anycast.healthchecker.process.CapturedOutput;
import net.anycast.healthchecker.process.ProcessResult;

/** How one run of a check ended. A failed check is a value, never an exception. */
public sealed interface CheckResult {

  /** Returns what running {@code check_cmd} ended with, as a check sees it: exit 0 passes. */
  static CheckResult of(ProcessResult run) {
    return switch (run) {
      case ProcessResult.Exited e when e.exitCode() == 0 -> new Passed(e.took());
      case ProcessResult.Exited e -> new Failed(e.took(), e.exitCode(), e.stdout(), e.stderr());
      case ProcessResult.TimedOut t -> new TimedOut(t.took());
      case ProcessResult.CouldNotRun c -> new CouldNotRun(c.took(), c.reason());
    };
  }

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

  /** The command could not be started at all (not found, not executable, fork failed). */
  record CouldNotRun(Duration took, String reason) implements CheckResult {
    /** 127 is what a shell reports for a command it could not run. */
    @Override
    public int exitCode() {
      return 127;
    }
  }
}
