package net.anycast.healthchecker.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import net.anycast.healthchecker.config.ConfigException;
import net.anycast.healthchecker.config.ConfigLoader;
import net.anycast.healthchecker.config.Defaults;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.daemon.Reloader;
import net.anycast.healthchecker.monitor.NagiosCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of anycast-healthchecker 0.9.10: same flags, same defaults, same messages
 * and exit codes. The only place that calls {@link System#exit}.
 */
@Command(
    name = "anycast-healthchecker",
    mixinStandardHelpOptions = false,
    sortOptions = false,
    description = "A health checker for anycasted services: keeps BIRD announcing the routes"
        + " of the healthy ones.",
    customSynopsis = {
        "anycast-healthchecker [ -f <file> -c -p -P ] [ -d <directory> | -F <file> ]",
        "anycast-healthchecker [ -f <file> ] [ -d <directory> | -F <file> ] drain"
            + " [-r REASON] [-e DURATION|UNIX_TIME] [--force] (--all | SERVICE...)",
        "anycast-healthchecker [ -f <file> ] [ -d <directory> | -F <file> ] undrain"
            + " (--all | SERVICE...)",
        "anycast-healthchecker [ -f <file> ] [ -d <directory> | -F <file> ] status [--json]",
        "anycast-healthchecker [ -f <file> ] reload [--timeout SECONDS]"},
    subcommands = {DrainCommand.class, UndrainCommand.class, StatusCommand.class,
        ReloadCommand.class})
public final class Main implements Callable<Integer> {

  @Option(names = {"-f", "--file"}, paramLabel = "<file>",
      description = "read settings from <file> (default: ${DEFAULT-VALUE})")
  Path file = Path.of("/etc/anycast-healthchecker.conf");

  @Option(names = {"-d", "--dir"}, paramLabel = "<dir>",
      description = "read settings for service checks from files under <dir> directory"
          + " (default: /etc/anycast-healthchecker.d)")
  Path dir;

  @Option(names = {"-F", "--service-file"}, paramLabel = "<file>",
      description = "read <file> for settings of a single service check")
  Path serviceFile;

  @Option(names = {"-c", "--check"}, description = "perform a sanity check on configuration")
  boolean check;

  @Option(names = {"-p", "--print"},
      description = "show default settings for anycast-healthchecker and service checks")
  boolean printDefaults;

  @Option(names = {"-P", "--print-conf"},
      description = "show running configuration with default settings applied")
  boolean printConf;

  @Option(names = {"--monitor"},
      description = "check a running daemon like a Nagios plugin: one line, exit 0 OK,"
          + " 1 WARNING, 2 CRITICAL, 3 UNKNOWN")
  boolean monitor;

  @Option(names = {"-v", "--version"}, versionHelp = true, description = "show version")
  boolean version;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this screen")
  boolean help;

  private final PrintWriter out;
  private final PrintWriter err;

  Main(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    // Before any HTTP class loads: HTTP checks may set the Host header, which the JDK's client
    // refuses unless this property names it (it is read once). See check/HttpClients.
    if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
      System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }

  /** Returns the exit code of running the command line {@code args}. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    Main main = new Main(out, err);
    CommandLine cli = new CommandLine(main)
        .setOut(out)
        .setErr(err);
    // docopt, which the original uses, exits 1 on a usage error
    cli.getCommandSpec().exitCodeOnInvalidInput(1);
    cli.getSubcommands().values().forEach(c -> c.getCommandSpec().exitCodeOnInvalidInput(1));
    cli.getCommandSpec().version(Version.text());
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    if (dir != null && serviceFile != null) {
      err.println("Usage: " + new CommandLine(this).getCommandSpec().usageMessage()
          .customSynopsis()[0]);
      err.println("-d/--dir and -F/--service-file are mutually exclusive");
      return 1;
    }
    if (printDefaults) {
      out.print(Defaults.render());
      out.flush();
      return 0;
    }
    if (monitor) {
      return monitor();
    }
    Path serviceDir = dir != null ? dir : Path.of("/etc/anycast-healthchecker.d");
    // The daemon reads the same files again on every reload.
    Reloader.ConfigSource source = () -> new ConfigLoader().load(file,
        serviceFile == null ? serviceDir : null, serviceFile);
    LoadedConfig loaded;
    try {
      loaded = source.load();
    } catch (ConfigException e) {
      err.println("Invalid configuration: " + e.getMessage());
      return 1;
    }
    if (check) {
      loaded.warnings().forEach(w -> err.println("Warning: " + w));
      out.println("OK");
      return 0;
    }
    if (printConf) {
      try {
        out.print(ConfigLoader.render(loaded.ini()));
        out.flush();
      } catch (ConfigException e) {
        err.println("Invalid configuration: " + e.getMessage());
        return 1;
      }
      return 0;
    }
    return DaemonLauncher.run(loaded, source, out, err);
  }

  /** Reads the pidfile location from the configuration and judges the daemon behind it. */
  private int monitor() {
    Path pidfile;
    try {
      pidfile = new ConfigLoader().pidfile(file);
    } catch (ConfigException e) {
      out.println("UNKNOWN - invalid configuration: " + e.getMessage().replace('\n', ' '));
      return 3;
    }
    NagiosCheck.Result result = NagiosCheck.run(pidfile, InstantSource.system());
    out.println(result.line());
    return result.exitCode();
  }
}
