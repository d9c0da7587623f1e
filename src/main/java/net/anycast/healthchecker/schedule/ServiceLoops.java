package net.anycast.healthchecker.schedule;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import net.anycast.healthchecker.check.CheckGroup;
import net.anycast.healthchecker.check.ServiceCheck;
import net.anycast.healthchecker.config.ServiceChange;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.inputs.InputsRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service's check loop: started together, run-now together (SIGURG), changed by a reload,
 * closed together.
 *
 * <p>Costs per service: one timer entry; for a built-in check (TCP, plain HTTP) a channel on a
 * reactor and nothing more; for a command, only while it runs, a virtual thread (plus the JDK's
 * reaper thread for the child process). No platform thread per service.
 */
public final class ServiceLoops implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLoops.class);
  /** How long close() waits for killed checks to be reaped. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  /** One service: its check, its slot counts, and its loop once started (none while disabled). */
  private static final class Entry {
    final ServiceCheck check;
    final SlotCounter slots;
    ServiceLoop loop;

    Entry(ServiceCheck check, SlotCounter slots) {
      this.check = check;
      this.slots = slots;
    }
  }

  private final LoopContext context;
  private final DueChecks due;
  private final InputsRef inputs;
  // Guarded by this:
  private Duration splayStartup;
  private Map<String, Entry> entries = new LinkedHashMap<>(); // in configuration order
  private boolean started;
  private boolean closed;
  // What statuses() reads without the lock, replaced whole.
  private volatile List<ServiceCheck> checks;

  /**
   * Returns the loops of {@code services}, publishing health to {@code inputs}; nothing runs
   * before {@link #start()}.
   *
   * @param splayStartup {@code splay_startup}: each loop's first check waits a uniform random
   *     0..splay; zero for none
   * @param due which checks are due and unfinished, for the BIRD side's holds
   */
  public ServiceLoops(List<ServiceConfig> services, Duration splayStartup, InputsRef inputs,
      DueChecks due, LoopContext context) {
    this.due = due;
    this.splayStartup = splayStartup;
    this.context = context;
    this.inputs = inputs;
    for (ServiceConfig config : services) {
      entries.put(config.name(), new Entry(newCheck(config), new SlotCounter()));
    }
    this.checks = checksOf(entries);
  }

  /**
   * Starts every loop: disabled services publish DISABLED; the others arm their first slot, at
   * one common start plus their {@code splay_startup} delay.
   */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "closed" : "already started");
    }
    started = true;
    // One start instant for all: services with the same interval share their slots exactly,
    // so one slot's results arrive as one burst and cost the BIRD side one held pass.
    // (Reading the clock per loop spread 200 services' slots over a few hundred ms under load.)
    long startNanos = context.scheduler().nanoTime();
    for (Entry e : entries.values()) {
      Duration firstDelay = splay();
      launch(e, firstDelay, startNanos + firstDelay.toNanos());
    }
  }

  /**
   * Applies a reload's changes of the services, in the order that keeps every health honest:
   * first the checks of removed, renamed and changed services are retired (a run in flight can
   * no longer publish), then the inputs get the new services (each staying one keeps its health,
   * so no route moves), then the new loops start — a changed check from its service's health, on
   * the slot its old loop had next; an added service UNKNOWN, after its {@code splay_startup}
   * delay. Unchanged services keep their loop, slot, health and streaks untouched; services with
   * new route settings keep their loop too.
   *
   * @param changes every service of the old and the new configuration (see ConfigDiff)
   * @param splay the {@code splay_startup} of the new configuration, for loops started now
   */
  public synchronized void apply(List<ServiceChange> changes, Duration splay) {
    if (!started || closed) {
      throw new IllegalStateException(closed ? "closed" : "not started");
    }
    splayStartup = splay;
    Map<String, Entry> replaced = new HashMap<>();
    for (ServiceChange c : changes) {
      switch (c) {
        case ServiceChange.Removed r -> retire(entries.get(r.name()));
        case ServiceChange.Renamed r -> retire(entries.get(r.before().name()));
        case ServiceChange.CheckChanged ch -> replaced.put(ch.name(), retire(entries.get(ch.name())));
        case ServiceChange.Added a -> { }
        case ServiceChange.RoutesChanged r -> { }
        case ServiceChange.Unchanged u -> { }
      }
    }
    List<ServiceConfig> next = changes.stream().<ServiceConfig>mapMulti((c, out) -> {
      switch (c) {
        case ServiceChange.Unchanged u -> out.accept(u.service());
        case ServiceChange.RoutesChanged r -> out.accept(r.after());
        case ServiceChange.CheckChanged ch -> out.accept(ch.after());
        case ServiceChange.Added a -> out.accept(a.service());
        case ServiceChange.Renamed r -> out.accept(r.after());
        case ServiceChange.Removed r -> { }
      }
    }).toList();
    inputs.update(i -> i.withServices(next));
    long now = context.scheduler().nanoTime();
    Map<String, Entry> after = new LinkedHashMap<>();
    for (ServiceChange c : changes) {
      switch (c) {
        case ServiceChange.Unchanged u -> after.put(u.name(), entries.get(u.name()));
        case ServiceChange.RoutesChanged r -> {
          Entry e = entries.get(r.name());
          e.check.update(r.after());
          after.put(r.name(), e);
        }
        case ServiceChange.CheckChanged ch -> {
          Entry old = replaced.get(ch.name());
          Entry e = new Entry(old.check.successor(ch.after(), checkOf(ch.after())), old.slots);
          long slot = old.loop == null ? now : Math.max(now, old.loop.nextSlotNanos());
          launch(e, Duration.ofNanos(slot - now), slot);
          after.put(ch.name(), e);
        }
        case ServiceChange.Added a -> after.put(a.name(), launchNew(a.service(), now));
        case ServiceChange.Renamed r -> after.put(r.name(), launchNew(r.after(), now));
        case ServiceChange.Removed r -> { }
      }
    }
    entries = after;
    checks = checksOf(after);
  }

  private Entry launchNew(ServiceConfig config, long now) {
    Entry e = new Entry(newCheck(config), new SlotCounter());
    Duration firstDelay = splay();
    launch(e, firstDelay, now + firstDelay.toNanos());
    return e;
  }

  /** Begins the service; unless it is disabled, starts its loop with slot 0 at {@code slot}. */
  private void launch(Entry e, Duration firstDelay, long slot) {
    if (!e.check.start(firstDelay)) {
      return;
    }
    ServiceConfig config = e.check.config();
    String name = config.name();
    // Built-in checks begin on the slot's timer thread (their reactor) and need no thread of
    // their own; anything that blocks (a command, TLS) runs on a virtual thread as before.
    ServiceLoop.Iteration iteration = e.check.nonBlocking() ? e.check::begin
        : ServiceLoop.onExecutor(name, named(name), e.check::iterate);
    e.loop = new ServiceLoop(name, config.checkInterval(), context.scheduler().of(name),
        iteration, due.register(), e.slots);
    e.loop.startAt(slot);
  }

  /** Stops a service's loop and its check's publishing; returns the entry. */
  private static Entry retire(Entry e) {
    e.check.retire();
    if (e.loop != null) {
      e.loop.stop();
    }
    return e;
  }

  private ServiceCheck newCheck(ServiceConfig config) {
    return new ServiceCheck(config, checkOf(config), context.ip(), inputs, context.clock(),
        context.scheduler()::nanoTime);
  }

  /** Returns the check of an enabled service; none for a disabled one, which never runs it. */
  private CheckGroup checkOf(ServiceConfig config) {
    return config.checkDisabled() ? null : context.checks().apply(config);
  }

  private static List<ServiceCheck> checksOf(Map<String, Entry> entries) {
    return entries.values().stream().map(e -> e.check).toList();
  }

  /** Runs every loop's next iteration now (SIGURG); a loop already running is left alone. */
  public void runAllNow() {
    List<ServiceLoop> now;
    synchronized (this) {
      now = entries.values().stream().map(e -> e.loop).filter(Objects::nonNull).toList();
    }
    now.forEach(ServiceLoop::runNow);
  }

  /** Returns the slot counts of every service that has a loop, in configuration order. */
  public synchronized List<SlotCounts> slotCounts() {
    return entries.values().stream().map(e -> e.loop).filter(Objects::nonNull)
        .map(ServiceLoop::slots).toList();
  }

  /** Returns the latest status of every service, in configuration order. */
  public List<ServiceStatus> statuses() {
    return checks.stream().map(ServiceCheck::status).toList();
  }

  /**
   * Stops every loop and kills the checks in flight (their process groups), waiting up to 10 s
   * for them to be reaped. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    entries.values().stream().map(e -> e.loop).filter(Objects::nonNull)
        .forEach(ServiceLoop::stop);
    context.scheduler().close();
    context.executor().shutdownNow();
    try {
      if (!context.executor().awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("checks still running {}s after close", CLOSE_GRACE.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      context.resources().close();
    } catch (Exception e) {
      LOG.warn("closing the checks' resources failed: {}", e.toString());
    }
  }

  private Duration splay() {
    if (!splayStartup.isPositive()) {
      return Duration.ZERO;
    }
    // Whole milliseconds, like the original's "%.3f" rounding of random.uniform(0, splay).
    long nanos = (long) (context.random().nextDouble() * splayStartup.toNanos());
    return Duration.ofMillis(nanos / 1_000_000);
  }

  /**
   * Returns the executor of one service's iterations: it names the thread after the service for
   * thread dumps.
   */
  private Executor named(String name) {
    return task -> context.executor().execute(() -> {
      Thread thread = Thread.currentThread();
      String previous = thread.getName();
      thread.setName(name);
      try {
        task.run();
      } finally {
        thread.setName(previous);
      }
    });
  }
}
