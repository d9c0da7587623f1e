package net.anycast.healthchecker.override;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every drain in the spool. (Minimal; the spool branch replaces it.) */
public final class Drains {
  private static final Drains NONE = new Drains(Map.of());
  private final Map<String, Drain> byName;

  private Drains(Map<String, Drain> byName) {
    this.byName = Map.copyOf(byName);
  }

  public static Drains none() {
    return NONE;
  }

  public static Drains of(Map<String, Drain> byName) {
    return new Drains(byName);
  }

  public Optional<Drain> forService(String service) {
    Drain all = byName.get("all");
    if (all != null) {
      return Optional.of(all);
    }
    Drain own = byName.get(service);
    if (own != null) {
      return Optional.of(own);
    }
    return new TreeMap<>(byName).entrySet().stream()
        .filter(e -> e.getKey().startsWith(service + ":")).map(Map.Entry::getValue).findFirst();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Drains d && byName.equals(d.byName);
  }

  @Override
  public int hashCode() {
    return byName.hashCode();
  }
}
