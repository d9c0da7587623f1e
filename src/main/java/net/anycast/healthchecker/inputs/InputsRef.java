package net.anycast.healthchecker.inputs;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import net.anycast.healthchecker.health.Health;

/**
 * The one reference through which every source publishes the reconcilers' {@link Inputs}.
 *
 * <p>Level-triggered: listeners are told only "something changed, look again" and read
 * {@link #current()}; an update that returns the same snapshot wakes nobody.
 */
public final class InputsRef {
  private final AtomicReference<Inputs> ref;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public InputsRef(Inputs first) {
    this.ref = new AtomicReference<>(Objects.requireNonNull(first, "first"));
  }

  /** Returns the latest snapshot. */
  public Inputs current() {
    return ref.get();
  }

  /** Registers a callback run (on the publisher's thread) after each change. Keep it cheap. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Replaces the snapshot with {@code change} of the latest one (retried when another source
   * got in first, so {@code change} must be pure); wakes the listeners when it changed anything.
   * Returns the snapshot now published.
   */
  public Inputs update(UnaryOperator<Inputs> change) {
    while (true) {
      Inputs before = ref.get();
      Inputs after = change.apply(before);
      if (after == before) {
        return before;
      }
      if (ref.compareAndSet(before, after)) {
        listeners.forEach(Runnable::run);
        return after;
      }
    }
  }

  /** Publishes a service's health (a service loop's one write). */
  public void publish(String service, Health health) {
    update(i -> i.withHealth(service, health));
  }
}
