package net.anycast.healthchecker.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import net.anycast.healthchecker.override.FlatJsonObject;

/**
 * What {@code anycast-healthchecker status} shows: per service its prefixes, health (from the
 * running daemon's status file), drain (from the spool itself, so it is current even when no
 * daemon runs) and what BIRD has (the prefix file BIRD was told to load, and whether the daemon
 * says BIRD confirmed it). Pure: the command reads the facts, this turns them into rows, a table,
 * JSON and an exit code.
 *
 * @param daemon the running daemon's status, empty when none runs
 * @param files per family, the prefixes of its prefix file; absent when it cannot be read
 */
public record StatusReport(List<ServiceConfig> services, Drains drains,
    Optional<StatusFile.Status> daemon, Map<IpFamily, Set<IpPrefix>> files) {

  /** One service's line. */
  public record Row(String service, List<IpPrefix> prefixes, String health, Optional<Drain> drain,
      String bird) {}

  /** Returns one row per configured service, in configuration order. */
  public List<Row> rows() {
    // One map, not a scan of the daemon's lines per service: a node may carry thousands.
    Map<String, String> health = daemon.map(d -> d.services().stream().collect(
        Collectors.toMap(StatusFile.ServiceLine::name, StatusFile.ServiceLine::health,
            (first, second) -> first))).orElse(Map.of());
    List<Row> out = new ArrayList<>();
    for (ServiceConfig s : services) {
      String h = daemon.isEmpty() ? "not running" : health.getOrDefault(s.name(), "unknown");
      out.add(new Row(s.name(), s.prefixes(), h, drains.forService(s.name()),
          bird(s.prefixes())));
    }
    return out;
  }

  /** Returns 0 when the daemon runs and every service is up and not drained, else 1. */
  public int exitCode() {
    return daemon.isPresent()
        && rows().stream().allMatch(r -> r.health().equals("up") && r.drain().isEmpty()) ? 0 : 1;
  }

  private String bird(List<IpPrefix> prefixes) {
    long in = 0;
    for (IpPrefix p : prefixes) {
      Set<IpPrefix> file = files.get(p.family());
      if (file == null) {
        return "unreadable file";
      }
      in += file.contains(p) ? 1 : 0;
    }
    String what = in == prefixes.size() ? "announced" : in == 0 ? "withdrawn" : "partly announced";
    Set<String> states = prefixes.stream().map(p -> familyState(p.family()))
        .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    return states.isEmpty() ? what : what + " (" + String.join(", ", states) + ")";
  }

  /** Returns "" when BIRD confirmed the file, else why not. */
  private String familyState(IpFamily family) {
    if (daemon.isEmpty()) {
      return "";
    }
    return daemon.get().bird().stream().filter(b -> b.family().equals(family.label()))
        .findFirst().map(b -> switch (b.state()) {
          case "in-sync" -> "";
          case "failing" -> "BIRD not confirmed: " + b.error();
          default -> "BIRD pending";
        }).orElse("");
  }

  /** Returns the table: a header line, then one line per service; columns padded. */
  public String table(Instant now) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"SERVICE", "PREFIXES", "HEALTH", "DRAINED", "BIRD"});
    for (Row r : rows()) {
      lines.add(new String[] {r.service(), prefixes(r.prefixes()), r.health(),
          r.drain().map(d -> drained(d, now)).orElse("no"), r.bird()});
    }
    int[] width = new int[5];
    lines.forEach(l -> {
      for (int i = 0; i < 5; i++) {
        width[i] = Math.max(width[i], l[i].length());
      }
    });
    StringBuilder out = new StringBuilder();
    if (daemon.isEmpty()) {
      out.append("the daemon is not running: health is unknown; BIRD has what the files say\n");
    }
    daemon.ifPresent(d -> d.notices().forEach(n -> out.append("warning: ").append(n).append('\n')));
    for (String[] l : lines) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        line.append(i == 4 ? l[i] : String.format(Locale.ROOT, "%-" + width[i] + "s  ", l[i]));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String drained(Drain d, Instant now) {
    String why = d.reason().isEmpty() ? "(no reason)" : d.reason();
    String via = d.spoolName().equals("all") ? " [all]" : "";
    return "yes: " + why + via + d.expiration().map(t -> ", until " + t
        + " (" + Math.max(0, t.getEpochSecond() - now.getEpochSecond()) + "s left)").orElse("");
  }

  private static String prefixes(List<IpPrefix> prefixes) {
    return prefixes.stream().map(IpPrefix::toString).collect(Collectors.joining(","));
  }

  /** Returns the report as one JSON object. */
  public String json() {
    StringBuilder out = new StringBuilder("{\"daemon\": {\"running\": ").append(daemon.isPresent());
    daemon.ifPresent(d -> out.append(", \"pid\": ").append(d.pid()).append(", \"notices\": [")
        .append(d.notices().stream().map(StatusReport::quote).collect(Collectors.joining(", ")))
        .append(']'));
    out.append("}, \"services\": [");
    List<Row> rows = rows();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      out.append(i == 0 ? "" : ", ").append("{\"name\": ").append(quote(r.service()))
          .append(", \"prefixes\": [").append(r.prefixes().stream().map(p -> quote(p.toString()))
              .collect(Collectors.joining(", ")))
          .append("], \"health\": ").append(quote(r.health()))
          .append(", \"drained\": ").append(r.drain().isPresent())
          .append(", \"drain\": ").append(r.drain().map(StatusReport::drainJson).orElse("null"))
          .append(", \"bird\": ").append(quote(r.bird())).append('}');
    }
    out.append("], \"bird\": [");
    List<StatusFile.BirdLine> bird = daemon.map(StatusFile.Status::bird).orElse(List.of());
    for (int i = 0; i < bird.size(); i++) {
      StatusFile.BirdLine b = bird.get(i);
      out.append(i == 0 ? "" : ", ").append("{\"family\": ").append(quote(b.family()))
          .append(", \"state\": ").append(quote(b.state()))
          .append(", \"error\": ").append(quote(b.error())).append('}');
    }
    return out.append("], \"ok\": ").append(exitCode() == 0).append("}\n").toString();
  }

  private static String drainJson(Drain d) {
    return "{\"file\": " + quote(d.spoolName()) + ", \"reason\": " + quote(d.reason())
        + ", \"expiration\": " + d.expiration().map(t -> quote(t.toString())).orElse("null")
        + ", \"creation\": " + d.creation().map(t -> quote(t.toString())).orElse("null") + "}";
  }

  private static String quote(String s) {
    return new FlatJsonObject.Text(s).toJson();
  }
}
