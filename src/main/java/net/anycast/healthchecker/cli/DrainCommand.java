package net.anycast.healthchecker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Expiry;
import net.anycast.healthchecker.override.SpoolDirectory;
import net.anycast.healthchecker.override.SpoolNames;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code drain}: takes services (or, with {@code --all}, the node) out of the anycast set by
 * writing spool files, atomically, in hacheck's format. Works whether or not the daemon runs: a
 * running daemon applies it within a second, a stopped one from its first pass.
 */
@Command(name = "drain", sortOptions = false,
    description = "Withdraw services (or all of them) until undrained or the expiry passes.")
final class DrainCommand implements Callable<Integer> {
  @ParentCommand Main parent;
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;

  @Option(names = {"-r", "--reason"}, paramLabel = "REASON",
      description = "who and why (default: $SUDO_USER, $SSH_USER or your user name)")
  String reason;

  @Option(names = {"-e", "--expires"}, paramLabel = "DURATION|UNIX_TIME",
      description = "end the drain by itself: 90s, 30m, 2h, 1d, 1h30m, or a Unix time")
  String expires;

  @Option(names = "--force", description = "write the file even for a service not configured")
  boolean force;

  @ArgGroup(multiplicity = "1")
  Target target;

  /** The services to drain, or all. */
  static final class Target {
    @Option(names = "--all", required = true, description = "every service: the whole node")
    boolean all;

    @Parameters(paramLabel = "SERVICE", arity = "1..*",
        description = "a configured service (section name), or SERVICE:PORT as hacheck names it")
    List<String> services;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<LoadedConfig> read = config.loadOrReport(parent, err);
    if (read.isEmpty()) {
      return 1;
    }
    LoadedConfig loaded = read.get();
    List<String> names;
    String why;
    Instant until;
    try {
      names = spoolNames(target, loaded.configuration().services(), force);
      why = DrainReason.of(Optional.ofNullable(reason), System.getenv(),
          System.getProperty("user.name"), nonhumans());
    } catch (IllegalArgumentException e) {
      err.println("drain: " + e.getMessage());
      return 1;
    }
    try {
      until = expires == null ? null : Expiry.parse(expires, Instant.now());
    } catch (IllegalArgumentException e) {
      err.println("drain: -e " + e.getMessage());
      return 1;
    }
    SpoolDirectory spool = new SpoolDirectory(loaded.configuration().daemon().spoolDir());
    for (String name : names) {
      Drain d = Drain.of(name, why).withCreation(Instant.now());
      if (until != null) {
        d = d.withExpiration(until);
      }
      try {
        Drain written = spool.write(d);
        out.println("drained " + name + ": " + why
            + written.expiration().map(t -> " (until " + t + ")").orElse(" (no expiry)")
            + " -> " + spool.fileFor(name));
      } catch (IOException e) {
        err.println("drain: cannot write " + spool.fileFor(name) + ": " + e);
        return 1;
      }
    }
    out.println(DaemonNote.of(loaded));
    return 0;
  }

  /**
   * Returns the spool names for the target; refuses a service that is not configured (unless
   * forced), naming those that are.
   */
  static List<String> spoolNames(Target target, List<ServiceConfig> services, boolean force) {
    if (target.all) {
      return List.of(SpoolNames.ALL);
    }
    Set<String> configured = new HashSet<>();
    services.forEach(s -> configured.add(s.name()));
    List<String> out = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String name : target.services) {
      SpoolNames.requireValid(name);
      boolean known = configured.contains(name) || configured.stream()
          .anyMatch(s -> SpoolNames.appliesTo(name, s));
      if (!known && !force) {
        unknown.add(name);
      }
      out.add(name);
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("not a configured service: " + String.join(", ", unknown)
          + "; configured: " + (configured.isEmpty() ? "none"
              : String.join(", ", services.stream().map(ServiceConfig::name).toList()))
          + " (--force writes the file anyway)");
    }
    return out;
  }

  private static Set<String> nonhumans() {
    Path file = Path.of("/etc/nonhumans");
    try {
      return Set.copyOf(Files.readAllLines(file).stream().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
    } catch (IOException e) {
      return Set.of();
    }
  }
}
