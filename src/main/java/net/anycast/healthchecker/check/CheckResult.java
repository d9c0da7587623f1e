package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.OptionalInt;
import net.anycast.healthchecker.process.CapturedOutput;
import net.anycast.healthchecker.process.ProcessResult;

/**
 * How one run of a check ended. A failed check is a value, never an exception. Only an exec
 * check has an exit code ({@link #exitCode()}); a built-in check says why in {@link #reason()}.
 */
public sealed interface CheckResult {

  /** Returns what running {@code check_cmd} ended with, as a check sees it: exit 0 passes. */
  static CheckResult of(ProcessResult run) {
    return switch (run) {
      case ProcessResult.Exited e when e.exitCode() == 0 -> new Passed(e.took(), "exit 0");
      case ProcessResult.Exited e -> new Exited(e.took(), e.exitCode(), e.stdout(), e.stderr());
      case ProcessResult.TimedOut t -> new TimedOut(t.took());
      case ProcessResult.CouldNotRun c -> new CouldNotRun(c.took(), c.reason());
    };
  }

  /** Returns how long the run took; for a timeout, until the check was stopped. */
  Duration took();

  /** Returns a short reason, such as {@code HTTP 503 from http://…} or {@code exit 2}. */
  String reason();

  /** Returns whether the run passed. */
  default boolean passed() {
    return this instanceof Passed;
  }

  /**
   * Returns the exit code the original's metrics would show for an exec check: 0, the code, 126
   * for a timeout, 127 when it could not start; empty for a built-in check's result.
   */
  default OptionalInt exitCode() {
    return OptionalInt.empty();
  }

  /** The check passed: the command exited 0, or the built-in check saw what it expects. */
  record Passed(Duration took, String reason) implements CheckResult {
    /** Returns the result of a command that exited 0. */
    public Passed(Duration took) {
      this(took, "exit 0");
    }
  }

  /** A built-in check saw something it does not expect (a refused connection, HTTP 503, …). */
  record Failed(Duration took, String reason) implements CheckResult {}

  /** The command exited non-zero (128 + n when killed by signal n). */
  record Exited(Duration took, int code, CapturedOutput stdout, CapturedOutput stderr)
      implements CheckResult {
    @Override
    public String reason() {
      return "exit " + code;
    }

    @Override
    public OptionalInt exitCode() {
      return OptionalInt.of(code);
    }
  }

  /**
   * The check ran past {@code check_timeout}: an exec check's process group was killed, a
   * built-in check's connection closed.
   *
   * @param reason what was still pending, such as {@code timed out waiting for the response}
   * @param exec whether the check was a command, for the original's 126
   */
  record TimedOut(Duration took, String reason, boolean exec) implements CheckResult {
    /** Returns the timeout of a command. */
    public TimedOut(Duration took) {
      this(took, "timed out", true);
    }

    /** Returns the timeout of a built-in check, saying what it was waiting for. */
    public static TimedOut builtIn(Duration took, String reason) {
      return new TimedOut(took, reason, false);
    }

    /** The original's {@code _run_check} reports a timeout as 126 to its metrics. */
    @Override
    public OptionalInt exitCode() {
      return exec ? OptionalInt.of(126) : OptionalInt.empty();
    }
  }

  /** The command could not be started at all (not found, not executable, fork failed). */
  record CouldNotRun(Duration took, String reason) implements CheckResult {
    /** 127 is what a shell reports for a command it could not run. */
    @Override
    public OptionalInt exitCode() {
      return OptionalInt.of(127);
    }
  }
}
