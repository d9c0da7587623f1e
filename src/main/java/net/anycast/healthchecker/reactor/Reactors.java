package net.anycast.healthchecker.reactor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The reactors of the daemon: one per CPU, at most four, threads called
 * {@code check-reactor-N}. A service always lands on the same one ({@link #of}), so its loop's
 * timer and its checks' channels share a thread and a run needs no hand-over between threads.
 */
public final class Reactors implements AutoCloseable {
  /** More reactors than this only add threads: a check costs far less than a wake-up. */
  static final int MAX = 4;

  private final List<Reactor> reactors;

  private Reactors(List<Reactor> reactors) {
    this.reactors = List.copyOf(reactors);
  }

  /** Returns {@code count} started reactors on the clock {@code nanoTime}. */
  public static Reactors start(int count, LongSupplier nanoTime) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one reactor: " + count);
    }
    List<Reactor> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(Reactor.start("check-reactor-" + i, nanoTime));
    }
    return new Reactors(out);
  }

  /** Returns one reactor per available CPU, at most {@value #MAX}, on the system's clock. */
  public static Reactors system() {
    return start(countFor(Runtime.getRuntime().availableProcessors()), System::nanoTime);
  }

  /** Returns how many reactors {@code cpus} CPUs get. */
  static int countFor(int cpus) {
    return Math.clamp(cpus, 1, MAX);
  }

  /** Returns the reactor of the service called {@code service}: the same one every time. */
  public Reactor of(String service) {
    int h = service.hashCode();
    return reactors.get(Math.floorMod(h ^ (h >>> 16), reactors.size()));
  }

  /** Returns every reactor. */
  public List<Reactor> all() {
    return reactors;
  }

  /** Closes every reactor and the channels registered on it. */
  @Override
  public void close() {
    reactors.forEach(Reactor::close);
  }
}
