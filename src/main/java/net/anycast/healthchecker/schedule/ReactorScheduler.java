package net.anycast.healthchecker.schedule;

import net.anycast.healthchecker.reactor.Reactor;
import net.anycast.healthchecker.reactor.Reactors;
import net.anycast.healthchecker.reactor.Timer;

/**
 * The production {@link Scheduler}: the service loops' slots are timers of the reactors, each
 * service's on the reactor its built-in checks run on ({@link #of}), so a slot that fires begins
 * its check on the same thread, without a hand-over. Closing it closes the reactors.
 */
public final class ReactorScheduler implements Scheduler {
  private final Reactors reactors;
  private final Reactor home;
  private final boolean owner;

  /** Returns the scheduler of {@code reactors}; it closes them when closed. */
  public ReactorScheduler(Reactors reactors) {
    this(reactors, reactors.all().getFirst(), true);
  }

  private ReactorScheduler(Reactors reactors, Reactor home, boolean owner) {
    this.reactors = reactors;
    this.home = home;
    this.owner = owner;
  }

  @Override
  public long nanoTime() {
    return home.nanoTime();
  }

  /** Returns the scheduler of one service: on the reactor of its checks. */
  @Override
  public Scheduler of(String service) {
    return new ReactorScheduler(reactors, reactors.of(service), false);
  }

  @Override
  public Scheduled schedule(long atNanos, Runnable task) {
    Timer t = new Timer(task);
    // From another thread (a check that ended there) the reactor is woken only when it would
    // sleep past the slot; a cancel never needs it awake.
    home.runBy(atNanos, () -> home.arm(t, atNanos));
    return () -> home.runBy(Long.MAX_VALUE, () -> home.disarm(t));
  }

  /** Closes the reactors (a service's scheduler closes nothing: its owner does). */
  @Override
  public void close() {
    if (owner) {
      reactors.close();
    }
  }
}
