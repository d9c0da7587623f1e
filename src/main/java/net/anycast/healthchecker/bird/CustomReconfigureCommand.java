package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.time.Duration;
import net.anycast.healthchecker.check.Shlex;
import java.util.ArrayList;
import java.util.List;
import net.anycast.healthchecker.config.ServiceConfig;

/**
 * A service's {@code custom_bird_reconfigure_cmd}: run with one more argument, {@code up} when
 * the service's prefixes were added to the file or {@code down} when removed, in its own session,
 * killed (its whole process group) after {@code custom_bird_reconfigure_cmd_timeout}. Exit 0 is
 * success: the command is the operator's, so its exit code is all we can trust.
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
    try {
      CommandRunner.Outcome o = CommandRunner.run(cmd, timeout);
      if (o.timedOut()) {
        return new ReconfigureResult.Failed(
            shown + " did not finish within " + timeout.toMillis() + " ms: killed");
      }
      if (o.exitCode() != 0) {
        return new ReconfigureResult.Failed(shown + " exited " + o.exitCode() + ": "
            + BirdReply.abbreviate(o.output().strip()));
      }
      return new ReconfigureResult.Confirmed(o.output().strip());
    } catch (IOException e) {
      return new ReconfigureResult.Failed("cannot run " + shown + ": " + e.getMessage());
    }
  }
}
