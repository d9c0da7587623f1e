package net.anycast.healthchecker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import net.anycast.healthchecker.config.ConfigException;
import net.anycast.healthchecker.config.ConfigLoader;
import net.anycast.healthchecker.daemon.ReloadFile;
import net.anycast.healthchecker.daemon.ReloadOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code reload}: sends SIGHUP to the daemon named by the pidfile, then waits for the outcome
 * the daemon writes beside the pidfile ({@link ReloadFile}) — one of its pid that began after
 * the signal was sent — and prints it. Exits 0 when the daemon applied the files, 1 when it
 * kept its previous configuration (the errors are printed as {@code -c} prints them), 2 when
 * no daemon could be asked or none answered in time.
 */
@Command(name = "reload", sortOptions = false,
    description = "Make the running daemon re-read its configuration (SIGHUP) and print the"
        + " outcome: exit 0 when applied, 1 when the files have errors (nothing changed),"
        + " 2 when no daemon runs or none answered.")
final class ReloadCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(50);

  @ParentCommand Main parent;
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "how long to wait for the daemon's answer (default: ${DEFAULT-VALUE})")
  int timeoutSeconds = 30;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path file = config.file != null ? config.file : parent.file;
    Path pidfile;
    try {
      // The pidfile only: the service files are the daemon's to judge, and it says what is wrong.
      pidfile = new ConfigLoader().pidfile(file);
    } catch (ConfigException e) {
      err.println("Invalid configuration: " + e.getMessage());
      err.println("reload: cannot find the daemon's pidfile; no daemon was asked");
      return 2;
    }
    Optional<Long> pid = DaemonNote.runningPid(pidfile);
    if (pid.isEmpty()) {
      err.println("reload: no daemon is running (pidfile " + pidfile + ")");
      return 2;
    }
    Path outcomeFile = ReloadFile.besidePidfile(pidfile);
    Instant sent = Instant.now();
    Optional<String> failed = sendHangup(pid.get());
    if (failed.isPresent()) {
      err.println("reload: cannot signal the daemon (pid " + pid.get() + "): " + failed.get());
      return 2;
    }
    Optional<ReloadOutcome> outcome =
        awaitOutcome(outcomeFile, pid.get(), sent, Duration.ofSeconds(timeoutSeconds), err);
    if (outcome.isEmpty()) {
      err.println("reload: sent SIGHUP to pid " + pid.get() + ", but no outcome appeared in "
          + outcomeFile + " within " + timeoutSeconds + " s; see the daemon's log");
      return 2;
    }
    ReloadOutcome o = outcome.get();
    (o.success() ? out : err).println(o.report());
    return o.success() ? 0 : 1;
  }

  /**
   * Returns whether {@code entry} answers a SIGHUP sent to {@code pid} at {@code sent}: written
   * by that daemon, for a reload that began after the signal left, so it read the files as they
   * were when the command ran. (A reload another trigger began after that time read them too.)
   */
  static boolean answers(ReloadFile.Entry entry, long pid, Instant sent) {
    return entry.pid() == pid && !entry.outcome().started().isBefore(sent);
  }

  private static Optional<ReloadOutcome> awaitOutcome(Path file, long pid, Instant sent,
      Duration timeout, PrintWriter err) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = null;
    do {
      try {
        Optional<ReloadFile.Entry> entry = ReloadFile.read(file);
        if (entry.isPresent() && answers(entry.get(), pid, sent)) {
          return Optional.of(entry.get().outcome());
        }
      } catch (IOException | IllegalArgumentException e) {
        lastProblem = e.getMessage(); // unreadable now; the daemon may be replacing it
      }
      Thread.sleep(POLL);
    } while (System.nanoTime() < deadline);
    if (lastProblem != null) {
      err.println("reload: cannot read " + file + ": " + lastProblem);
    }
    return Optional.empty();
  }

  /**
   * Sends SIGHUP through {@code kill(1)}, which says why it could not (the JDK signals only
   * with SIGTERM/SIGKILL); returns that reason, empty when sent.
   */
  private static Optional<String> sendHangup(long pid) throws InterruptedException {
    try {
      Process kill = new ProcessBuilder("kill", "-s", "HUP", Long.toString(pid))
          .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
              Path.of("/dev/null").toFile())).start();
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        return Optional.of("kill did not finish within 10 s");
      }
      return kill.exitValue() == 0 ? Optional.empty() : Optional.of(said.strip());
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }
}
