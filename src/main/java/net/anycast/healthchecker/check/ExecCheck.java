package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import net.anycast.healthchecker.process.ProcessRunner;
import net.anycast.healthchecker.process.Shlex;
import net.anycast.healthchecker.reactor.Reactor;

/**
 * The {@code check_cmd} of a service: split like {@code shlex.split}, run without a shell.
 *
 * <p>Given the service's reactor and a runner that {@link ProcessRunner#beginsWithoutThread},
 * a run needs no thread of its own: the reactor's slot timer spawns the command and arms its
 * deadline, and the thread that watches check processes reports the result when the command
 * ends. That spares each run a virtual thread and three hand-overs between threads (about half
 * of the daemon's own CPU per exec check, see docs/benchmarks.md). The reactor is blocked while
 * {@code posix_spawn} waits for the child's {@code execve}, as a carrier thread was before.
 */
public final class ExecCheck implements ReactorCheck {
  private final List<String> argv;
  private final ProcessRunner runner;
  private final Reactor reactor; // null: every run blocks a thread
  private final String description; // logged by every run: joined once

  /**
   * Returns the check for {@code checkCmd}, run on the caller's thread.
   *
   * @throws IllegalArgumentException when the command has unbalanced quotes or is empty
   */
  public ExecCheck(String checkCmd, ProcessRunner runner) {
    this(checkCmd, runner, null);
  }

  /**
   * Returns the check for {@code checkCmd}, begun on {@code reactor} when the runner can.
   *
   * @throws IllegalArgumentException when the command has unbalanced quotes or is empty
   */
  public ExecCheck(String checkCmd, ProcessRunner runner, Reactor reactor) {
    this.argv = Shlex.split(checkCmd);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("check_cmd is empty");
    }
    this.runner = runner;
    this.reactor = reactor != null && runner.beginsWithoutThread() ? reactor : null;
    this.description = String.join(" ", argv);
  }

  @Override
  public boolean nonBlocking() {
    return reactor != null;
  }

  @Override
  public void begin(Duration timeout, Consumer<CheckResult> done) {
    if (reactor == null) {
      throw new IllegalStateException("this exec check runs on a thread of its own");
    }
    reactor.run(() -> runner.begin(argv, timeout, reactor, r -> done.accept(CheckResult.of(r))));
  }

  /** Runs the command on this thread; on interrupt its group is killed and reaped first. */
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
