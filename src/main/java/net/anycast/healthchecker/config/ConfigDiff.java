package net.anycast.healthchecker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * What a reload changes in a running daemon: the comparison of the configuration it runs with
 * one loaded again from the same files. Pure: two validated configurations in, a decision out.
 *
 * @param services one change per service: those of the new configuration in its order
 *     (unchanged, changed, added, renamed), then the removed ones
 * @param daemon the runtime {@code [daemon]} settings that change, one line each
 * @param needsRestart the {@code [daemon]} settings that changed but keep their running value
 * @param conflicts errors only the running daemon reveals: a service prefix of an address family
 *     it does not serve, because switching the family on needs a restart. A diff with conflicts
 *     must not be applied.
 * @param applied what the daemon runs after the reload: the new services and runtime settings,
 *     the running values of the settings that need a restart
 */
public record ConfigDiff(List<ServiceChange> services, List<String> daemon,
    List<RestartNotice> needsRestart, List<ConfigError> conflicts, Configuration applied) {

  public ConfigDiff {
    services = List.copyOf(services);
    daemon = List.copyOf(daemon);
    needsRestart = List.copyOf(needsRestart);
    conflicts = List.copyOf(conflicts);
  }

  /**
   * Returns what reloading {@code next} into a daemon running {@code r} changes ({@code next}'s
   * INI says which file each setting comes from).
   */
  public static ConfigDiff between(Configuration r, LoadedConfig next) {
    Configuration n = next.configuration();
    List<ServiceChange> services = services(r.services(), n.services());
    List<String> daemon = new ArrayList<>();
    List<RestartNotice> notices = new ArrayList<>();
    for (DaemonSettings.Setting s : DaemonSettings.changed(r.daemon(), n.daemon())) {
      String was = DaemonSettings.text(s.value().apply(r.daemon()));
      String now = DaemonSettings.text(s.value().apply(n.daemon()));
      if (s.runtime()) {
        daemon.add("changed [daemon] " + s.key() + " from " + quoted(was) + " to " + quoted(now));
      } else {
        Origin origin = next.ini().origin(DaemonSection.NAME, s.key());
        notices.add(new RestartNotice(origin == null ? null : origin.file(), s.key(), was, now));
      }
    }
    DaemonConfig appliedDaemon = DaemonSettings.applied(r.daemon(), n.daemon());
    return new ConfigDiff(services, daemon, notices,
        conflicts(appliedDaemon, n.services(), next.ini()),
        new Configuration(appliedDaemon, n.services()));
  }

  /** Returns the change of every service, pairing a removed and an added one into a rename. */
  private static List<ServiceChange> services(List<ServiceConfig> running,
      List<ServiceConfig> next) {
    Map<String, ServiceConfig> before = byName(running);
    Map<String, ServiceConfig> after = byName(next);
    List<ServiceConfig> gone = new ArrayList<>(
        running.stream().filter(s -> !after.containsKey(s.name())).toList());
    List<ServiceChange> out = new ArrayList<>();
    for (ServiceConfig s : next) {
      ServiceConfig old = before.get(s.name());
      if (old != null) {
        out.add(ServiceChange.of(old, s));
        continue;
      }
      ServiceConfig renamedFrom = gone.stream()
          .filter(g -> ServiceChange.sameButName(g, s)).findFirst().orElse(null);
      if (renamedFrom != null) {
        gone.remove(renamedFrom);
        out.add(new ServiceChange.Renamed(renamedFrom, s));
      } else {
        out.add(new ServiceChange.Added(s));
      }
    }
    gone.forEach(g -> out.add(new ServiceChange.Removed(g)));
    return out;
  }

  private static Map<String, ServiceConfig> byName(List<ServiceConfig> services) {
    Map<String, ServiceConfig> out = new LinkedHashMap<>();
    services.forEach(s -> out.put(s.name(), s));
    return out;
  }

  /** Returns the prefixes the running daemon cannot take without a restart first. */
  private static List<ConfigError> conflicts(DaemonConfig applied, List<ServiceConfig> services,
      Ini ini) {
    Set<IpFamily> served = EnumSet.noneOf(IpFamily.class);
    applied.birdFamilies().forEach(f -> served.add(f.family()));
    List<ConfigError> out = new ArrayList<>();
    for (ServiceConfig s : services) {
      Origin origin = ini.origin(s.name(), "ip_prefix");
      Path file = origin == null ? null : origin.file();
      for (IpPrefix p : s.prefixes()) {
        if (!served.contains(p.family())) {
          String key = p.family() == IpFamily.IPV4 ? "ipv4" : "ipv6";
          out.add(new ConfigError(file, s.name(), "ip_prefix", p.toString(), "is an "
              + p.family().label() + " prefix, but the running daemon does not serve "
              + p.family().label() + "; switching " + key + " on needs a restart first"));
        }
      }
    }
    return out;
  }

  /** Returns whether the reload changes nothing at all (no notice either). */
  public boolean empty() {
    return changes().isEmpty() && needsRestart.isEmpty();
  }

  /** Returns one line per change: services first, then runtime settings. */
  public List<String> changes() {
    List<String> out = new ArrayList<>();
    services.stream().filter(c -> !(c instanceof ServiceChange.Unchanged))
        .map(ServiceChange::describe).forEach(out::add);
    out.addAll(daemon);
    return List.copyOf(out);
  }

  /**
   * Returns counts in one line, e.g. {@code 1 added, 1 removed, 1 check changed, 47 unchanged;
   * 1 setting needs a restart}.
   */
  public String summary() {
    Map<String, Long> counts = services.stream().collect(Collectors.groupingBy(
        c -> switch (c) {
          case ServiceChange.Added a -> "added";
          case ServiceChange.Removed r -> "removed";
          case ServiceChange.Renamed r -> "renamed";
          case ServiceChange.CheckChanged c2 -> "check changed";
          case ServiceChange.RoutesChanged r -> "routes changed";
          case ServiceChange.Unchanged u -> "unchanged";
        }, LinkedHashMap::new, Collectors.counting()));
    List<String> parts = new ArrayList<>();
    for (String kind : List.of("added", "removed", "renamed", "check changed", "routes changed",
        "unchanged")) {
      if (counts.containsKey(kind)) {
        parts.add(counts.get(kind) + " " + kind);
      }
    }
    String text = "services: " + (parts.isEmpty() ? "none" : String.join(", ", parts));
    if (!daemon.isEmpty()) {
      text += "; " + daemon.size() + " daemon setting" + (daemon.size() == 1 ? "" : "s")
          + " changed";
    }
    if (!needsRestart.isEmpty()) {
      text += "; " + needsRestart.size()
          + (needsRestart.size() == 1 ? " setting needs" : " settings need") + " a restart";
    }
    return text;
  }

  private static String quoted(String value) {
    return value == null ? "(unset)" : "'" + value + "'";
  }
}
