package net.anycast.healthchecker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.anycast.healthchecker.config.ConfigException;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.override.Drains;
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
 * {@code undrain}: removes spool files. {@code SERVICE} removes the service's own file and those
 * of its ports ({@code SERVICE:PORT}); {@code --all} removes the {@code all} file only (drains
 * of single services stay, as with {@code haup all}).
 */
@Command(name = "undrain", sortOptions = false,
    description = "Put drained services (or the node, --all) back.")
final class UndrainCommand implements Callable<Integer> {
  @ParentCommand Main parent;
  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;

  @ArgGroup(multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--all", required = true, description = "remove the drain of every service")
    boolean all;

    @Parameters(paramLabel = "SERVICE", arity = "1..*", description = "a drained service")
    List<String> services;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoadedConfig loaded;
    try {
      loaded = config.load(parent);
    } catch (ConfigException e) {
      err.println("Invalid configuration: " + e.getMessage());
      return 1;
    }
    SpoolDirectory spool = new SpoolDirectory(loaded.configuration().daemon().spoolDir());
    Drains now = spool.read(Drains.none(), w -> err.println("warning: " + w))
        .activeAt(Instant.now());
    List<String> remove = new ArrayList<>();
    if (target.all) {
      remove.add(SpoolNames.ALL);
    } else {
      for (String service : target.services) {
        try {
          SpoolNames.requireValid(service);
        } catch (IllegalArgumentException e) {
          err.println("undrain: " + e.getMessage());
          return 1;
        }
        remove.add(service);
        now.all().keySet().stream()
            .filter(n -> !n.equals(service) && SpoolNames.appliesTo(n, service))
            .forEach(remove::add);
      }
    }
    for (String name : remove) {
      try {
        out.println(spool.remove(name) ? "undrained " + name + " (removed " + spool.fileFor(name)
            + ")" : name + " was not drained");
      } catch (IOException e) {
        err.println("undrain: cannot remove " + spool.fileFor(name) + ": " + e);
        return 1;
      }
    }
    if (!target.all && now.all().containsKey(SpoolNames.ALL)) {
      out.println("note: 'all' is drained, which still drains every service (undrain --all)");
    }
    out.println(DaemonNote.of(loaded));
    return 0;
  }
}
