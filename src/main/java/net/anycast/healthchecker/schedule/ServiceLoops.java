package net.anycast.healthchecker.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import net.anycast.healthchecker.check.ServiceCheck;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.inputs.InputsRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service's check loop: started together, run-now together (SIGURG), closed together.
 *
 * <p>Costs per service: one timer entry and, only while a check runs, a virtual thread (plus
 * the JDK's reaper thread for the child process). No platform thread per service.
 */
public final class ServiceLoops implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLoops.class);
  /** How long close() waits for killed checks to be reaped. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  private record Service(ServiceConfig config, ServiceCheck check) {}

  private final Duration splayStartup;
  private final LoopContext context;
  private final RunningChecks running;
  private final List<Service> services;
  private final List<ServiceLoop> loops = new ArrayList<>();
  private boolean started;
  private boolean closed;

  /**
   * Returns the loops of {@code services}, publishing health to {@code inputs}; nothing runs
   * before {@link #start()}.
   *
   * @param splayStartup {@code splay_startup}: each loop's first check waits a uniform random
   *     0..splay; zero for none
   * @param running counts the iterations in flight, for the BIRD side's pacing
   */
  public ServiceLoops(List<ServiceConfig> services, Duration splayStartup, InputsRef inputs,
      RunningChecks running, LoopContext context) {
    this.running = running;
    this.splayStartup = splayStartup;
    this.context = context;
    List<Service> all = new ArrayList<>(services.size());
    for (ServiceConfig config : services) {
      // A disabled service never runs its command, so it gets no Check to build.
      var check = config.checkDisabled() ? null : context.checks().apply(config);
      all.add(new Service(
          config, new ServiceCheck(config, check, context.ip(), inputs, context.scheduler()::nanoTime)));
    }
    this.services = List.copyOf(all);
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
    for (Service service : services) {
      Duration firstDelay = splay();
      if (!service.check().begin(firstDelay)) {
        continue;
      }
      String name = service.config().name();
      ServiceLoop loop =
          new ServiceLoop(name, service.config().checkInterval(), context.scheduler(), named(name),
              service.check()::iterate);
      loops.add(loop);
      loop.startAt(startNanos + firstDelay.toNanos());
    }
  }

  /** Runs every loop's next iteration now (SIGURG); a loop already running is left alone. */
  public void runAllNow() {
    List<ServiceLoop> now;
    synchronized (this) {
      now = List.copyOf(loops);
    }
    now.forEach(ServiceLoop::runNow);
  }

  /** Returns the latest status of every service, in configuration order. */
  public List<ServiceStatus> statuses() {
    return services.stream().map(service -> service.check().status()).toList();
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
    loops.forEach(ServiceLoop::stop);
    context.scheduler().close();
    context.executor().shutdownNow();
    try {
      if (!context.executor().awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("checks still running {}s after close", CLOSE_GRACE.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
   * thread dumps, and counts the iteration as running from its submission on, so
   * the BIRD side never sees "nothing running" while a slot's checks are about to start.
   */
  private Executor named(String name) {
    return task -> {
      running.started();
      try {
        context.executor().execute(() -> {
          Thread thread = Thread.currentThread();
          String previous = thread.getName();
          thread.setName(name);
          try {
            task.run();
          } finally {
            thread.setName(previous);
            running.finished();
          }
        });
      } catch (RuntimeException e) { // rejected: closing
        running.finished();
        throw e;
      }
    };
  }
}
