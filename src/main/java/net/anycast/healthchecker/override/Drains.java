package net.anycast.healthchecker.override;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every drain in a spool directory at one moment, by spool file name. Immutable; equal when
 * the drains are, so a watcher can publish only what changed.
 */
public final class Drains {
  private static final Drains NONE = new Drains(new TreeMap<>());

  private final SortedMap<String, Drain> byName;

  private Drains(SortedMap<String, Drain> byName) {
    this.byName = Collections.unmodifiableSortedMap(byName);
  }

  /** Returns no drains at all. */
  public static Drains none() {
    return NONE;
  }

  /**
   * Returns the drains given.
   *
   * @throws IllegalArgumentException when two have the same spool name
   */
  public static Drains of(Collection<Drain> drains) {
    SortedMap<String, Drain> map = new TreeMap<>();
    for (Drain d : drains) {
      if (map.put(d.spoolName(), d) != null) {
        throw new IllegalArgumentException("two drains of spool file " + d.spoolName());
      }
    }
    return map.isEmpty() ? NONE : new Drains(map);
  }

  /**
   * Returns the drain that withdraws {@code service}, as hacheck looks it up: {@code all}, then
   * the service's own file, then the file of any of its ports, in name order; the first found
   * wins. See {@link SpoolNames#appliesTo} for which port files belong to a service.
   */
  public Optional<Drain> forService(String service) {
    Drain d = byName.get(SpoolNames.ALL);
    if (d == null) {
      d = byName.get(service);
    }
    if (d == null) {
      d = byName.values().stream()
          .filter(x -> SpoolNames.appliesTo(x.spoolName(), service))
          .findFirst()
          .orElse(null);
    }
    return Optional.ofNullable(d);
  }

  /** Returns the drain of the file {@code spoolName}, exactly that name. */
  public Optional<Drain> byName(String spoolName) {
    return Optional.ofNullable(byName.get(spoolName));
  }

  /** Returns these drains without those expired at {@code now} (see {@link Drain#expiredAt}). */
  public Drains activeAt(Instant now) {
    SortedMap<String, Drain> active = new TreeMap<>(byName);
    active.values().removeIf(d -> d.expiredAt(now));
    return active.size() == byName.size() ? this : new Drains(active);
  }

  /** Returns the earliest expiration among these drains; empty when none expires. */
  public Optional<Instant> nextExpiry() {
    return byName.values().stream()
        .flatMap(d -> d.expiration().stream())
        .min(Instant::compareTo);
  }

  /** Returns every drain by spool name, in name order. */
  public SortedMap<String, Drain> all() {
    return byName;
  }

  /** Returns whether there is no drain at all. */
  public boolean isEmpty() {
    return byName.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Drains d && byName.equals(d.byName);
  }

  @Override
  public int hashCode() {
    return byName.hashCode();
  }

  @Override
  public String toString() {
    return "Drains" + byName.values();
  }
}
