package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.List;
import net.anycast.healthchecker.process.ProcessRunner;
import net.anycast.healthchecker.process.Shlex;

/** The {@code check_cmd} of a service: split like {@code shlex.split}, run without a shell. */
public final class ExecCheck implements Check {
  private final List<String> argv;
  private final ProcessRunner runner;
  private final String description; // logged by every run: joined once

  /**
   * Returns the check for {@code checkCmd}.
   *
   * @throws IllegalArgumentException when the command has unbalanced quotes or is empty
   */
  public ExecCheck(String checkCmd, ProcessRunner runner) {
    this.argv = Shlex.split(checkCmd);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("check_cmd is empty");
    }
    this.runner = runner;
    this.description = String.join(" ", argv);
  }

  @Override
  public CheckResult run(Duration timeout) throws InterruptedException {
    return CheckResult.of(runner.run(argv, timeout));
  }

  /** Returns the words joined by spaces, as the original logs {@code "running %s"}. */
  @Override
  public String describe() {
    return description;
  }
}
