package net.anycast.healthchecker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import net.anycast.healthchecker.bird.PrefixFile;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.monitor.StatusFile;
import net.anycast.healthchecker.monitor.StatusReport;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.override.Drains;
import net.anycast.healthchecker.override.SpoolDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code status}: a table (or JSON) of every service: prefixes, health, drain, what BIRD has.
 * Exits 0 when the daemon runs and every service is up and not drained, 1 otherwise.
 */
@Command(name = "status", sortOptions = false,
    description = "Show every service: prefixes, health, drain, what BIRD has."
        + " Exit 0 when all are up and none is drained, else 1.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand Main parent;
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;

  @Option(names = "--json", description = "one JSON object instead of the table")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<LoadedConfig> read = config.loadOrReport(parent, err);
    if (read.isEmpty()) {
      return 2;
    }
    LoadedConfig loaded = read.get();
    var c = loaded.configuration();
    Instant now = Instant.now();
    Drains drains = new SpoolDirectory(c.daemon().spoolDir())
        .read(Drains.none(), w -> err.println("warning: " + w)).activeAt(now);
    Map<IpFamily, Set<IpPrefix>> files = new EnumMap<>(IpFamily.class);
    for (BirdFamilyConfig f : c.daemon().birdFamilies()) {
      try {
        files.put(f.family(), PrefixFile.parse(
            new String(Files.readAllBytes(f.conf()), java.nio.charset.StandardCharsets.UTF_8)).prefixes());
      } catch (java.nio.file.NoSuchFileException e) {
        files.put(f.family(), Set.of()); // never written yet: BIRD has none of them
      } catch (IOException e) {
        err.println("warning: cannot read " + f.conf() + ": " + e);
      }
    }
    StatusReport report = new StatusReport(c.services(), drains, daemon(loaded), files);
    out.print(json ? report.json() : report.table(now));
    out.flush();
    return report.exitCode();
  }

  /** Returns the running daemon's status file, when the pidfile's process is alive. */
  private static Optional<StatusFile.Status> daemon(LoadedConfig loaded) {
    Optional<Long> pid = DaemonNote.runningPid(loaded);
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    Path file = StatusFile.besidePidfile(loaded.configuration().daemon().pidfile());
    try {
      StatusFile.Status s = StatusFile.read(file);
      return s.pid() == pid.get() ? Optional.of(s) : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
