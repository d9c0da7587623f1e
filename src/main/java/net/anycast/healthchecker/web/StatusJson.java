package net.anycast.healthchecker.web;

import net.anycast.healthchecker.fleet.FleetStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.anycast.healthchecker.bird.ReconcilerStatus;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.CheckState;
import net.anycast.healthchecker.health.LastCheck;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.override.Drain;

/**
 * Renders an {@link ApiSnapshot} as the JSON of {@code GET /api/v1/status} and {@code GET
 * /api/v1/services/{name}} (documented in docs/api.md). Pure.
 */
final class StatusJson {
  private StatusJson() {}

  /** Returns the whole status document. */
  static String status(ApiSnapshot s) {
    Facts facts = new Facts(s);
    JsonWriter w = new JsonWriter(new StringBuilder(512 + 768 * s.inputs().services().size()));
    w.beginObject();
    w.name("daemon");
    daemon(w, s);
    w.name("services").beginArray();
    for (ServiceConfig service : s.inputs().services()) {
      service(w, service, facts);
    }
    w.endArray();
    w.name("families").beginArray();
    for (ReconcilerStatus r : s.families()) {
      family(w, r, s);
    }
    w.endArray();
    return w.endObject().toString();
  }

  /** Returns one service's document, or empty when no service has that name. */
  static Optional<String> service(ApiSnapshot s, String name) {
    for (ServiceConfig service : s.inputs().services()) {
      if (service.name().equals(name)) {
        JsonWriter w = new JsonWriter();
        service(w, service, new Facts(s));
        return Optional.of(w.toString());
      }
    }
    return Optional.empty();
  }

  /** Lookups shared by every service of one document. */
  private record Facts(ApiSnapshot snapshot, Map<String, ServiceStatus> statuses,
      Map<IpFamily, Set<IpPrefix>> applied, Map<IpFamily, Set<IpPrefix>> desired,
      Set<IpPrefix> held) {
    Facts(ApiSnapshot s) {
      this(s, byName(s.statuses()), new HashMap<>(), new HashMap<>(), new HashSet<>());
      for (ReconcilerStatus r : s.families()) {
        applied.put(r.family(), new HashSet<>(r.applied()));
        desired.put(r.family(), new HashSet<>(r.desired()));
        held.addAll(r.held());
      }
    }

    private static Map<String, ServiceStatus> byName(List<ServiceStatus> statuses) {
      Map<String, ServiceStatus> out = new HashMap<>();
      statuses.forEach(st -> out.put(st.service(), st));
      return out;
    }

    /** Returns whether every prefix is in the family's set (false when the family is off). */
    boolean all(Map<IpFamily, Set<IpPrefix>> sets, List<IpPrefix> prefixes) {
      return prefixes.stream().allMatch(p -> sets.getOrDefault(p.family(), Set.of()).contains(p));
    }
  }

  private static void daemon(JsonWriter w, ApiSnapshot s) {
    ApiSnapshot.DaemonFacts d = s.daemon();
    w.beginObject()
        .name("version").value(d.version())
        .name("pid").value(d.pid())
        .name("started").value(d.started())
        .name("uptime_seconds").value(Duration.between(d.started(), s.now()).toSeconds())
        .name("now").value(s.now());
    w.name("config_files").beginArray();
    for (Path file : d.configFiles()) {
      w.value(file.toString());
    }
    w.endArray();
    w.name("last_reload");
    if (d.lastReload() == null) {
      w.nullValue();
    } else {
      w.beginObject().name("at").value(d.lastReload().at())
          .name("ok").value(d.lastReload().ok()).name("errors").beginArray();
      d.lastReload().errors().forEach(w::value);
      w.endArray().endObject();
    }
    w.name("stopping").value(s.inputs().stopping().map(p -> p.name().toLowerCase(
        java.util.Locale.ROOT)).orElse(null));
    w.name("fleet");
    FleetStatus f = d.fleet();
    if (f == null) {
      w.nullValue();
    } else {
      w.beginObject().name("node").value(f.node())
          .name("mode").value(f.mode().name().toLowerCase(java.util.Locale.ROOT))
          .name("lease").value(f.lease() == 0 ? null : Long.toHexString(f.lease()))
          .name("last_contact").value(f.lastContactNanos() == 0 ? null
              : s.wallTime(f.lastContactNanos()))
          .name("etcd_requests").value(f.requests())
          .name("etcd_failures").value(f.failures())
          .name("last_error").value(f.lastError().isEmpty() ? null : f.lastError());
      w.name("held").beginObject();
      f.heldPrefixes().forEach((p, why) -> w.name(p.toString()).value(why));
      w.endObject().endObject();
    }
    w.endObject();
  }

  private static void service(JsonWriter w, ServiceConfig c, Facts facts) {
    Inputs in = facts.snapshot().inputs();
    ServiceStatus st = facts.statuses().get(c.name());
    w.beginObject().name("name").value(c.name());
    w.name("prefixes").beginArray();
    c.prefixes().forEach(p -> w.value(p.toString()));
    w.endArray();
    w.name("health").value(in.health(c.name()).word())
        .name("check_disabled").value(c.checkDisabled())
        .name("interval_seconds").seconds(c.checkInterval())
        .name("timeout_seconds").seconds(c.checkTimeout());
    w.name("rise").beginObject().name("streak").value(st == null ? 0 : st.okStreak())
        .name("needed").value(c.checkRise()).endObject();
    w.name("fall").beginObject().name("streak").value(st == null ? 0 : st.failStreak())
        .name("needed").value(c.checkFail()).endObject();
    w.name("last_check");
    LastCheck last = st == null ? null : st.lastCheck();
    if (last == null) {
      w.nullValue();
    } else {
      w.beginObject().name("started").value(last.started())
          .name("duration_seconds").seconds(last.took())
          .name("result").value(last.result());
      w.name("exit_code");
      if (last.exitCode() < 0) {
        w.nullValue();
      } else {
        w.value(last.exitCode());
      }
      w.name("output").value(last.output()).endObject();
    }
    w.name("check_mode").value(c.checks().mode().toString());
    w.name("checks").beginArray();
    if (st != null) {
      st.checks().forEach(k -> check(w, k));
    }
    w.endArray();
    w.name("check_runs").value(st == null ? 0 : st.checkRuns())
        .name("timeouts").value(st == null ? 0 : st.timeouts())
        .name("last_change").value(st == null ? null : st.lastChange())
        .name("ip_assigned").value(st == null || st.ipAssigned());
    w.name("drain");
    Optional<Drain> drain = in.drain(c.name());
    if (drain.isEmpty()) {
      w.nullValue();
    } else {
      Drain d = drain.get();
      w.beginObject().name("name").value(d.spoolName()).name("reason").value(d.reason())
          .name("expires").value(d.expiration().orElse(null))
          .name("created").value(d.creation().orElse(null))
          .name("on_drain").value(c.onDrain().name().toLowerCase(java.util.Locale.ROOT))
          .endObject();
    }
    w.name("wanted").value(facts.all(facts.desired(), c.prefixes()))
        .name("announced").value(facts.all(facts.applied(), c.prefixes()));
    w.name("fleet_held").beginArray();
    if (in.healthWithdrawal(c)) {
      c.prefixes().stream().filter(facts.held()::contains).forEach(p -> w.value(p.toString()));
    }
    w.endArray();
    w.endObject();
  }

  /** One check of a service as its last run left it. */
  private static void check(JsonWriter w, CheckState k) {
    w.beginObject().name("kind").value(k.kind()).name("target").value(k.target())
        .name("result").value(k.result()).name("passed").value(k.passed())
        .name("reason").value(k.reason())
        .name("started").value(k.started())
        .name("duration_seconds").seconds(k.took());
    w.name("exit_code");
    if (k.exitCode() < 0) {
      w.nullValue();
    } else {
      w.value(k.exitCode());
    }
    w.name("runs").value(k.runs()).name("failures").value(k.failures())
        .name("timeouts").value(k.timeouts()).endObject();
  }

  private static void family(JsonWriter w, ReconcilerStatus r, ApiSnapshot s) {
    w.beginObject().name("family").value(r.family().label())
        .name("in_sync").value(r.inSync());
    w.name("desired").beginArray();
    r.desired().forEach(p -> w.value(p.toString()));
    w.endArray().name("applied").beginArray();
    r.applied().forEach(p -> w.value(p.toString()));
    w.endArray().name("fleet_held").beginArray();
    r.held().forEach(p -> w.value(p.toString()));
    w.endArray();
    w.name("last_reconfigure");
    if (r.reconfigures() == 0) {
      w.nullValue();
    } else {
      w.beginObject().name("at").value(s.wallTime(r.lastReconfigureNanos()))
          .name("duration_seconds").seconds(r.lastReconfigureDuration())
          .name("result").value(r.lastReconfigureError().isEmpty() ? "confirmed" : "failed")
          .name("error").value(r.lastReconfigureError().isEmpty() ? null
              : r.lastReconfigureError())
          .endObject();
    }
    w.name("reconfigures").value(r.reconfigures())
        .name("consecutive_failures").value(r.consecutiveFailures())
        .name("last_error").value(r.error().orElse(null))
        .endObject();
  }
}
