package net.anycast.healthchecker.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongFunction;
import net.anycast.healthchecker.bird.ReconcilerStatus;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.override.Drain;

/**
 * What changed between two snapshots, as events for the stream. Pure.
 *
 * <p>Level-triggered like the reconcilers: the feed compares the latest snapshot with the last
 * one it reported, so a burst of changes costs one comparison, and an event tells the net
 * change (a service that went down and up again between two looks shows nothing).
 */
final class ChangeEvents {
  /** An event before it has an id. */
  record Change(String type, String json) {}

  private ChangeEvents() {}

  /** Returns the changes from {@code before} to {@code after}. */
  static List<Change> between(Inputs before, Inputs after) {
    List<Change> out = new ArrayList<>();
    if (before.services() != after.services()) {
      Set<String> was = names(before.services());
      Set<String> now = names(after.services());
      JsonWriter w = new JsonWriter().beginObject().name("added").beginArray();
      now.stream().filter(n -> !was.contains(n)).sorted().forEach(w::value);
      w.endArray().name("removed").beginArray();
      was.stream().filter(n -> !now.contains(n)).sorted().forEach(w::value);
      out.add(new Change("services", w.endArray().endObject().toString()));
    }
    Map<String, Health> old = before.healthByService();
    for (Map.Entry<String, Health> e : after.healthByService().entrySet()) {
      Health from = old.get(e.getKey());
      if (from != null && from != e.getValue()) {
        out.add(new Change("health", new JsonWriter().beginObject()
            .name("service").value(e.getKey())
            .name("from").value(from.word())
            .name("to").value(e.getValue().word())
            .endObject().toString()));
      }
    }
    if (!before.drains().equals(after.drains())) {
      Map<String, Drain> was = before.drains().all();
      Map<String, Drain> now = after.drains().all();
      for (Drain d : now.values()) {
        if (!d.equals(was.get(d.spoolName()))) {
          out.add(new Change("drain", drain(d)));
        }
      }
      for (String name : was.keySet()) {
        if (!now.containsKey(name)) {
          out.add(new Change("undrain", new JsonWriter().beginObject().name("name").value(name)
              .endObject().toString()));
        }
      }
    }
    if (!before.stopping().equals(after.stopping())) {
      out.add(new Change("stopping", new JsonWriter().beginObject().name("on_shutdown")
          .value(after.stopping().map(p -> p.name().toLowerCase(Locale.ROOT)).orElse(null))
          .endObject().toString()));
    }
    return out;
  }

  /**
   * Returns the changes of one family's reconciler ({@code before} null for the first look).
   *
   * @param wallTime the time of day of a reading of the monotonic clock
   */
  static List<Change> between(ReconcilerStatus before, ReconcilerStatus after,
      LongFunction<Instant> wallTime) {
    List<Change> out = new ArrayList<>();
    long attempts = after.reconfigures() - (before == null ? 0 : before.reconfigures());
    if (attempts > 0) {
      out.add(new Change("reconfigure", new JsonWriter().beginObject()
          .name("family").value(after.family().label())
          .name("at").value(wallTime.apply(after.lastReconfigureNanos()))
          .name("attempts").value(attempts)
          .name("result").value(after.lastReconfigureError().isEmpty() ? "confirmed" : "failed")
          .name("error").value(after.lastReconfigureError().isEmpty() ? null
              : after.lastReconfigureError())
          .name("duration_seconds").seconds(after.lastReconfigureDuration())
          .endObject().toString()));
    }
    if (before == null || before.inSync() != after.inSync()
        || !before.lastError().equals(after.lastError())
        || !before.applied().equals(after.applied())
        || !before.desired().equals(after.desired())) {
      out.add(new Change("bird", new JsonWriter().beginObject()
          .name("family").value(after.family().label())
          .name("in_sync").value(after.inSync())
          .name("desired").value(after.desired().size())
          .name("applied").value(after.applied().size())
          .name("error").value(after.error().orElse(null))
          .endObject().toString()));
    }
    return out;
  }

  static String drain(Drain d) {
    return new JsonWriter().beginObject().name("name").value(d.spoolName())
        .name("reason").value(d.reason())
        .name("expires").value(d.expiration().orElse(null))
        .name("created").value(d.creation().orElse(null))
        .endObject().toString();
  }

  private static Set<String> names(List<ServiceConfig> services) {
    Set<String> out = new HashSet<>();
    services.forEach(s -> out.add(Objects.requireNonNull(s.name())));
    return out;
  }
}
