package net.anycast.healthchecker.bird;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.process.ProcessResult;
import net.anycast.healthchecker.process.Shlex;

/**
 * A service's {@code custom_bird_reconfigure_cmd}: run with one more argument, {@code up} when
 * the service's prefixes were added to the file or {@code down} when removed, in its own session,
 * stopped (its whole process group, SIGTERM then SIGKILL) after
 * {@code custom_bird_reconfigure_cmd_timeout}. Exit 0 is success: the command is the operator's,
 * so its exit code is all we can trust.
 */
final class CustomReconfigureCommand {
  private final String service;
  private final String commandLine;
  private final List<String> argv;
  private final Duration timeout;

  CustomReconfigureCommand(ServiceConfig service) {
    this.service = service.name();
    this.commandLine = service.customReconfigureCommand().orElseThrow();
    this.argv = Shlex.split(commandLine);
    this.timeout = service.customBirdReconfigureCmdTimeout();
  }

  /** Returns whether the command succeeded for an announce ({@code up}) or a withdraw. */
  ReconfigureResult run(boolean up) throws InterruptedException {
    List<String> cmd = new ArrayList<>(argv);
    cmd.add(up ? "up" : "down");
    String shown = "custom_bird_reconfigure_cmd of " + service + " '" + commandLine + " "
        + cmd.getLast() + "'";
    return switch (BirdcCommand.RUNNER.run(cmd, timeout)) {
      case ProcessResult.Exited e when e.exitCode() == 0 ->
          new ReconfigureResult.Confirmed(e.output().strip());
      case ProcessResult.Exited e -> new ReconfigureResult.Failed(
          shown + " exited " + e.exitCode() + ": " + BirdReply.abbreviate(e.output().strip()));
      case ProcessResult.TimedOut t -> new ReconfigureResult.Failed(
          shown + " did not finish within " + timeout.toMillis() + " ms: killed");
      case ProcessResult.CouldNotRun c ->
          new ReconfigureResult.Failed("cannot run " + shown + ": " + c.reason());
    };
  }
}
