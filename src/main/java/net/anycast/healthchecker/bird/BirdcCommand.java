package net.anycast.healthchecker.bird;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.anycast.healthchecker.process.ProcessResult;
import net.anycast.healthchecker.process.ProcessRunner;
import net.anycast.healthchecker.process.Shlex;

/**
 * Reconfigures BIRD by running {@code bird_reconfigure_cmd} (default
 * {@code sudo /usr/sbin/birdc configure}), split like {@code shlex.split}, in its own session
 * with a timeout. Success only when the output says {@code Reconfigured}: {@code birdc} 1.6
 * exits 0 on a configuration error, so its exit code proves nothing.
 *
 * <p>After a confirmed configure, BIRD is woken through the control socket the command talks to
 * ({@link BirdWake}, {@link BirdcTarget}), when that can be told from the command line.
 */
public final class BirdcCommand implements BirdControl {
  /** The original's timeout for the reconfigure command. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Runs the BIRD reconfigure commands: on timeout SIGTERM to the group (what the original
   * sends {@code custom_bird_reconfigure_cmd}), SIGKILL to what is left a second later.
   */
  static final ProcessRunner RUNNER = new ProcessRunner().terminatingFirst(Duration.ofSeconds(1));

  /** How long BIRD 3 may take to apply an accepted configuration, at least. */
  private static final Duration MIN_APPLY_WAIT = Duration.ofSeconds(5);

  private final String commandLine;
  private final List<String> argv;
  private final Duration timeout;
  private final BirdWake wake;

  /**
   * @throws IllegalArgumentException when {@code commandLine} is empty or badly quoted
   */
  public BirdcCommand(String commandLine, Duration timeout) {
    this.commandLine = commandLine;
    this.argv = Shlex.split(commandLine);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty reconfigure command");
    }
    this.timeout = timeout;
    this.wake = new BirdWake(BirdcTarget.of(argv));
  }

  @Override
  public ReconfigureResult reconfigure() throws InterruptedException {
    long deadline = System.nanoTime() + Math.max(timeout.toNanos(), MIN_APPLY_WAIT.toNanos());
    ReconfigureResult r = run(argv);
    if (r instanceof ReconfigureResult.Confirmed accepted && BirdReply.stillApplying(accepted)
        && argv.getLast().equals("configure")) {
      r = awaitApplied(accepted, deadline);
    }
    if (r.confirmed()) {
      wake.afterConfigure();
    }
    return r;
  }

  /**
   * Runs the command with {@code status} appended ({@code birdc configure status}) every
   * {@link BirdSocket#STATUS_POLL} until BIRD 3 says the accepted configuration is in effect.
   * Only for a command that ends with {@code configure}: anything else (a wrapper script) cannot
   * be asked, and its accepted configure counts, as before BIRD 3.
   */
  private ReconfigureResult awaitApplied(ReconfigureResult.Confirmed accepted, long deadline)
      throws InterruptedException {
    List<String> status = new ArrayList<>(argv);
    status.add("status");
    while (deadline - System.nanoTime() > 0) {
      Thread.sleep(BirdSocket.STATUS_POLL);
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      ProcessResult p = RUNNER.run(status, Duration.ofNanos(Math.min(left, timeout.toNanos())));
      if (!(p instanceof ProcessResult.Exited e)) {
        continue;
      }
      switch (BirdReply.ofBirdcConfigureStatus(e.output())) {
        case DONE -> {
          return new ReconfigureResult.Confirmed("Reconfigured");
        }
        case OTHER -> {
          return accepted;
        }
        case IN_PROGRESS -> { }
      }
    }
    return new ReconfigureResult.Failed("'" + commandLine + "': BIRD accepted the configuration"
        + " but was still applying it at the deadline");
  }

  private ReconfigureResult run(List<String> argv) throws InterruptedException {
    return switch (RUNNER.run(argv, timeout)) {
      case ProcessResult.Exited e ->
          switch (BirdReply.ofBirdcOutput(e.output(), e.exitCode())) {
            case ReconfigureResult.Confirmed c -> c;
            case ReconfigureResult.Failed f ->
                new ReconfigureResult.Failed("'" + commandLine + "': " + f.reason());
          };
      case ProcessResult.TimedOut t -> new ReconfigureResult.Failed(
          "'" + commandLine + "' did not finish within " + timeout.toMillis() + " ms: killed");
      case ProcessResult.CouldNotRun c ->
          new ReconfigureResult.Failed("cannot run '" + commandLine + "': " + c.reason());
    };
  }

  @Override
  public String describe() {
    return "'" + commandLine + "'";
  }

  /** Returns the control socket woken after each confirmed configure, if the command tells it. */
  Optional<Path> wakes() {
    return wake.socket();
  }
}
