package net.anycast.healthchecker.health;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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
  private final AtomicInteger checksRunning = new AtomicInteger();

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

  /** Records that a service loop began an iteration (its result may change a health). */
  public void iterationStarted() {
    checksRunning.incrementAndGet();
  }

  /** Records that an iteration ended, whatever its outcome. */
  public void iterationFinished() {
    checksRunning.decrementAndGet();
  }

  /**
   * Returns how many iterations are running now: zero means no published health can change
   * before the next scheduled check, which lets the BIRD side stop waiting for a burst's end.
   */
  public int iterationsRunning() {
    return checksRunning.get();
  }

  /** Returns an immutable copy of every published health. */
  public Map<String, Health> snapshot() {
    return Map.copyOf(health);
  }
}
