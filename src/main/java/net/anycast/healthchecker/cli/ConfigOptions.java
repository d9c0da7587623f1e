package net.anycast.healthchecker.cli;

import java.nio.file.Path;
import net.anycast.healthchecker.config.ConfigException;
import net.anycast.healthchecker.config.ConfigLoader;
import net.anycast.healthchecker.config.LoadedConfig;
import picocli.CommandLine.Option;

/**
 * The daemon's {@code -f}/{@code -d}/{@code -F}, on the {@code drain}, {@code undrain} and
 * {@code status} commands too: they read the same configuration (spool_dir, the services) as the
 * daemon. Given before the command name they work as well ({@code -f x drain foo}).
 */
final class ConfigOptions {
  @Option(names = {"-f", "--file"}, paramLabel = "<file>",
      description = "daemon settings (default: /etc/anycast-healthchecker.conf)")
  Path file;

  @Option(names = {"-d", "--dir"}, paramLabel = "<dir>",
      description = "service checks: every *.conf of <dir> (default: /etc/anycast-healthchecker.d)")
  Path dir;

  @Option(names = {"-F", "--service-file"}, paramLabel = "<file>",
      description = "service checks: this one file")
  Path serviceFile;

  /** Loads the configuration, these options first, then the main command's, then defaults. */
  LoadedConfig load(Main parent) throws ConfigException {
    Path f = file != null ? file : parent.file;
    Path sf = serviceFile != null ? serviceFile : parent.serviceFile;
    Path d = dir != null ? dir : parent.dir != null ? parent.dir
        : Path.of("/etc/anycast-healthchecker.d");
    return new ConfigLoader().load(f, sf == null ? d : null, sf);
  }
}
