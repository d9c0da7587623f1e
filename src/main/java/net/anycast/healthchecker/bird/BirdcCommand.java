package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.time.Duration;
import net.anycast.healthchecker.check.Shlex;
import java.util.List;

/**
 * Reconfigures BIRD by running {@code bird_reconfigure_cmd} (default
 * {@code sudo /usr/sbin/birdc configure}), split like {@code shlex.split}, in its own session
 * with a timeout. Success only when the output says {@code Reconfigured}: {@code birdc} 1.6
 * exits 0 on a configuration error, so its exit code proves nothing.
 */
public final class BirdcCommand implements BirdControl {
  /** The original's timeout for the reconfigure command. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final String commandLine;
  private final List<String> argv;
  private final Duration timeout;

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
  }

  @Override
  public ReconfigureResult reconfigure() throws InterruptedException {
    try {
      CommandRunner.Outcome o = CommandRunner.run(argv, timeout);
      if (o.timedOut()) {
        return new ReconfigureResult.Failed(
            "'" + commandLine + "' did not finish within " + timeout.toMillis() + " ms: killed");
      }
      return switch (BirdReply.ofBirdcOutput(o.output(), o.exitCode())) {
        case ReconfigureResult.Confirmed c -> c;
        case ReconfigureResult.Failed f ->
            new ReconfigureResult.Failed("'" + commandLine + "': " + f.reason());
      };
    } catch (IOException e) {
      return new ReconfigureResult.Failed("cannot run '" + commandLine + "': " + e.getMessage());
    }
  }

  @Override
  public String describe() {
    return "'" + commandLine + "'";
  }
}
