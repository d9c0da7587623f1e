package net.anycast.healthchecker.health;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place where service loops publish health and the BIRD side reads it.
 *
 * <p>Level-triggered: a reader never sees events, only the latest health of every service
 * ({@link #snapshot()}); listeners are told "something changed, look again". Publishing the
 * health a service already has changes nothing and wakes nobody.
 */
public final class HealthBoard {
  private final Map<String, Health> health = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Registers a callback run (on the publisher's thread) after each change. Keep it cheap. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Records the health of a service; wakes listeners when it differs from the previous one. */
  public void publish(String service, Health newHealth) {
    Health old = health.put(service, newHealth);
    if (old != newHealth) {
      listeners.forEach(Runnable::run);
    }
  }

  /** Returns the health of a service; UNKNOWN when it never published. */
  public Health get(String service) {
    return health.getOrDefault(service, Health.UNKNOWN);
  }

  /** Returns an immutable copy of every published health. */
  public Map<String, Health> snapshot() {
    return Map.copyOf(health);
  }
}
