package net.anycast.healthchecker.process;

import java.time.Duration;

/** How one run of a command ended. A command that failed is a value, never an exception. */
public sealed interface ProcessResult {

  /** Returns how long the run took; for a timeout, until the process group was killed. */
  Duration took();

  /** The command exited by itself, with {@code exitCode} (128 + n when killed by signal n). */
  record Exited(Duration took, int exitCode, CapturedOutput stdout, CapturedOutput stderr)
      implements ProcessResult {

    /**
     * Returns the kept stdout, then the kept stderr, on lines of their own: for commands whose
     * reply is read as one text, as with {@code 2>&1} (but not interleaved).
     */
    public String output() {
      String out = stdout.text();
      String err = stderr.text();
      if (out.isEmpty() || err.isEmpty()) {
        return out + err;
      }
      return out.endsWith("\n") ? out + err : out + "\n" + err;
    }
  }

  /** The command ran past its deadline; its whole process group was killed. */
  record TimedOut(Duration took) implements ProcessResult {}

  /** The command could not be started at all (not found, not executable, fork failed). */
  record CouldNotRun(Duration took, String reason) implements ProcessResult {}
}
