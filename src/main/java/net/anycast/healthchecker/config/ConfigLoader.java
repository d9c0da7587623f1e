package net.anycast.healthchecker.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * Loads the daemon file and the service-check files, the way the original does, and validates
 * everything, reporting every mistake at once. Nothing is written anywhere.
 */
public final class ConfigLoader {
  private final CommandResolver commands;

  /** Returns a loader that resolves commands on {@code PATH} of this process. */
  public ConfigLoader() {
    this(System.getenv("PATH"));
  }

  /** Returns a loader that resolves commands on the given {@code PATH} value. */
  public ConfigLoader(String pathVariable) {
    this.commands = new CommandResolver(pathVariable);
  }

  /**
   * Returns the validated configuration read from {@code file}, then either the single
   * {@code serviceFile} or every {@code *.conf} of {@code dir} (sorted by name).
   *
   * @param dir ignored when {@code serviceFile} is not null
   */
  public LoadedConfig load(Path file, Path dir, Path serviceFile) throws ConfigException {
    return validate(read(files(file, dir, serviceFile)));
  }

  /** Returns the built-in defaults with {@code files} read over them, in order. */
  private static Ini read(List<Path> files) throws ConfigException {
    Ini ini = Ini.withDefaults(Defaults.sections());
    for (Path f : files) {
      try {
        ini.read(f);
      } catch (IniException e) {
        throw new ConfigException(new ConfigError(f, e.section(), e.key(), null,
            (e.line() > 0 ? "line " + e.line() + ": " : "") + e.reason()));
      } catch (IOException e) {
        throw new ConfigException(new ConfigError(f, null, null, null,
            "cannot be read: " + e.getMessage()));
      }
    }
    return ini;
  }

  /**
   * Returns the pidfile named by the daemon file alone, without validating anything else: the
   * monitoring check runs as a user that may not read the service checks or write the logs.
   */
  public Path pidfile(Path file) throws ConfigException {
    Ini ini = read(files(file, null, null));
    List<ConfigError> errors = new ArrayList<>();
    Path pidfile = new SectionValues(ini, DaemonSection.NAME, errors).path("pidfile");
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return pidfile;
  }

  /** Returns the validated configuration of an already merged INI. */
  LoadedConfig validate(Ini ini) throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    List<String> warnings = unknownKeys(ini);
    List<String> serviceNames = ini.sections().stream()
        .filter(s -> !s.equals(DaemonSection.NAME)).toList();
    int width = serviceNames.stream().mapToInt(String::length).max().orElse(0);
    width = Math.max(width, "MainThread".length()) + 1;

    DaemonSection daemonSection = new DaemonSection(ini, errors);
    DaemonConfig daemon = daemonSection.read(width);
    Set<IpFamily> enabled = daemonSection.enabledFamilies();

    List<ServiceConfig> services = new ArrayList<>();
    Map<String, ServiceSection> sections = new HashMap<>();
    for (String name : serviceNames) {
      ServiceSection section = new ServiceSection(ini, name, errors, commands);
      sections.put(name, section);
      ServiceConfig service = section.read(enabled);
      if (service != null) {
        services.add(service);
      }
    }
    crossServiceChecks(services, sections, daemon, errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new LoadedConfig(ini, new Configuration(daemon, services), warnings);
  }

  private static void crossServiceChecks(List<ServiceConfig> services,
      Map<String, ServiceSection> sections, DaemonConfig daemon, List<ConfigError> errors) {
    Map<IpPrefix, List<String>> owners = new LinkedHashMap<>();
    for (ServiceConfig s : services) {
      for (IpPrefix p : s.prefixes()) {
        owners.computeIfAbsent(p, k -> new ArrayList<>()).add(s.name());
      }
    }
    owners.forEach((prefix, names) -> {
      if (names.size() > 1) {
        for (String name : names) {
          errors.add(new ConfigError(sections.get(name).file("ip_prefix"), name, "ip_prefix",
              prefix.toString(), prefix + " is used by " + names.size() + " service checks ("
                  + String.join(", ", names) + "); a prefix belongs to one service only"));
        }
      }
    });
    if (daemon == null) {
      return;
    }
    for (BirdFamilyConfig family : daemon.birdFamilies()) {
      List<String> names = owners.get(family.dummyPrefix());
      if (names != null) {
        for (String name : names) {
          errors.add(new ConfigError(sections.get(name).file("ip_prefix"), name, "ip_prefix",
              family.dummyPrefix().toString(), "is the dummy prefix of [daemon], which is"
                  + " always announced; give the service another prefix"));
        }
      }
    }
  }

  private static List<String> unknownKeys(Ini ini) {
    List<String> warnings = new ArrayList<>();
    List<String> sections = new ArrayList<>();
    sections.add("DEFAULT");
    sections.addAll(ini.sections());
    for (String section : sections) {
      Set<String> known = switch (section) {
        case "DEFAULT", DaemonSection.NAME -> KnownKeys.ANY;
        default -> KnownKeys.SERVICE;
      };
      for (String key : ini.options(section)) {
        Origin origin = ini.origin(section, key);
        boolean own = section.equals("DEFAULT") || !origin.equals(ini.origin("DEFAULT", key));
        if (!own || known.contains(key)) {
          continue;
        }
        String hint = KnownKeys.closest(key, known).map(k -> "; did you mean '" + k + "'?")
            .orElse(KnownKeys.DAEMON.contains(key)
                ? "; it is a [daemon] option and has no effect here" : "");
        warnings.add(origin + ": [" + section + "] unknown option '" + key + "' is ignored"
            + hint);
      }
    }
    return warnings;
  }

  private static List<Path> files(Path file, Path dir, Path serviceFile)
      throws ConfigException {
    List<Path> files = new ArrayList<>();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(new ConfigError(file, null, null, null,
          "configuration file either isn't readable or doesn't exist"));
    }
    files.add(file);
    if (serviceFile != null) {
      if (!Files.isRegularFile(serviceFile)) {
        throw new ConfigException(new ConfigError(serviceFile, null, null, null,
            "configuration file for a service check doesn't exist"));
      }
      files.add(serviceFile);
    } else if (dir != null) {
      if (!Files.isDirectory(dir)) {
        throw new ConfigException(new ConfigError(dir, null, null, null,
            "directory with configuration files for service checks doesn't exist"));
      }
      files.addAll(confFiles(dir));
    }
    return files;
  }

  /** Returns the {@code *.conf} files of {@code dir}, sorted, skipping hidden ones like glob. */
  private static List<Path> confFiles(Path dir) throws ConfigException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.conf")) {
      List<Path> out = new ArrayList<>();
      for (Path p : stream) {
        if (!p.getFileName().toString().startsWith(".") && !Files.isDirectory(p)) {
          out.add(p);
        }
      }
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new ConfigException(new ConfigError(dir, null, null, null,
          "cannot be listed: " + e.getMessage()));
    }
  }

  /** Keys whose values are read without interpolation ({@code 30%} as written). */
  static final java.util.Set<String> UNINTERPOLATED = java.util.Set.of("fleet_min_announcers");

  /** Returns {@code --print-conf} output: every section with defaults applied. */
  public static String render(Ini ini) throws ConfigException {
    StringBuilder out = new StringBuilder();
    List<String> sections = new ArrayList<>();
    sections.add("DEFAULT");
    sections.addAll(ini.sections());
    for (String section : sections) {
      out.append('[').append(section).append("]\n");
      try {
        for (String key : ini.options(section)) {
          // Read as written (see SectionValues.uninterpolated): "30%" is not an error here.
          String value = UNINTERPOLATED.contains(key) ? ini.raw(section, key)
              : ini.get(section, key);
          out.append(key).append(" = ").append(value).append('\n');
        }
      } catch (IniException e) {
        throw new ConfigException(new ConfigError(e.file(), section, e.key(), null, e.reason()));
      }
      out.append('\n');
    }
    return out.toString();
  }

}
