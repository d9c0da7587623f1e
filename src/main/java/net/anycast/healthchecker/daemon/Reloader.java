package net.anycast.healthchecker.daemon;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import net.anycast.healthchecker.config.ConfigDiff;
import net.anycast.healthchecker.config.ConfigError;
import net.anycast.healthchecker.config.ConfigException;
import net.anycast.healthchecker.config.Configuration;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.metrics.ReloadSample;
import net.anycast.healthchecker.schedule.ServiceLoops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration into the running daemon: reads the same files it was started with,
 * validates all of it, and either applies it or changes nothing.
 *
 * <p>Applying is {@link ConfigDiff}'s decision carried out: {@link ServiceLoops#apply} for the
 * services (and, through it, the inputs the reconcilers follow), then {@code onApplied} for the
 * runtime {@code [daemon]} settings. Reloads run one at a time; each is bracketed by systemd's
 * {@code RELOADING=1} and {@code READY=1}, logged line by line, and its outcome handed to
 * {@code onOutcome} (the reload file beside the pidfile).
 */
public final class Reloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

  /** Reads the configuration files again; throws with every mistake. */
  @FunctionalInterface
  public interface ConfigSource {
    LoadedConfig load() throws ConfigException;
  }

  private final ConfigSource source;
  private final ServiceLoops loops;
  private final InputsRef inputs;
  private final Consumer<Configuration> onApplied;
  private final Consumer<ReloadOutcome> onOutcome;
  private final SystemdNotifier systemd;
  private final InstantSource clock;
  private final LongSupplier monotonicMicros;
  private final ReentrantLock lock = new ReentrantLock();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("reload").daemon().factory());
  private final AtomicBoolean queued = new AtomicBoolean();
  // Guarded by lock:
  private Configuration running;
  private volatile ReloadSample status;
  private volatile ReloadOutcome last; // null until the first reload

  /**
   * @param running the configuration the daemon started with
   * @param loaded when it was loaded: the reload metrics' time until the first reload
   * @param onApplied takes the configuration in force after a reload, for the daemon's runtime
   *     settings ({@code loglevel}, {@code on_shutdown}, {@code shutdown_grace}, each family's
   *     BIRD settings)
   * @param onOutcome takes every outcome (the reload file)
   * @param monotonicMicros CLOCK_MONOTONIC in microseconds, for systemd
   */
  Reloader(ConfigSource source, Configuration running, Instant loaded, ServiceLoops loops,
      InputsRef inputs, Consumer<Configuration> onApplied, Consumer<ReloadOutcome> onOutcome,
      SystemdNotifier systemd, InstantSource clock, LongSupplier monotonicMicros) {
    this.source = source;
    this.running = running;
    this.status = new ReloadSample(true, loaded);
    this.loops = loops;
    this.inputs = inputs;
    this.onApplied = onApplied;
    this.onOutcome = onOutcome;
    this.systemd = systemd;
    this.clock = clock;
    this.monotonicMicros = monotonicMicros;
  }

  /**
   * Reloads now and returns what happened; the entry point of the HTTP API ({@code POST
   * /api/v1/reload}), to be called once the daemon runs (the loops have started). Blocks while
   * another reload runs, then reads the files itself (so an edit made before the call is always
   * seen); it takes milliseconds, the files' reading and the loops' changes, never BIRD (the
   * reconcilers apply the routes afterwards). Never throws: a configuration with any error, or a
   * daemon that is stopping, changes nothing and says why in the outcome.
   *
   * <ul>
   *   <li>{@link ReloadOutcome#success()}: whether the new configuration runs. An API answers
   *       200 with the outcome, else 422 for {@code INVALID} and 409 for {@code REFUSED}.
   *   <li>{@link ReloadOutcome#errors()}: each mistake as {@code -c} prints it.
   *   <li>{@link ReloadOutcome#needsRestart()}: settings that keep their running value.
   *   <li>{@link ReloadOutcome#changes()} and {@link ReloadOutcome#summary()}: what changed.
   * </ul>
   *
   * @param trigger what asks, for the log and the outcome: {@code SIGHUP}, {@code api}, …
   */
  public ReloadOutcome reload(String trigger) {
    Objects.requireNonNull(trigger, "trigger");
    lock.lock();
    try {
      Instant started = clock.instant();
      systemd.reloading(monotonicMicros.getAsLong());
      LOG.info("reloading the configuration ({})", trigger);
      ReloadOutcome outcome;
      try {
        outcome = attempt(trigger, started);
      } catch (RuntimeException e) {
        // A bug, not a bad file: say so, and keep the daemon running with what it has.
        LOG.error("reload failed unexpectedly", e);
        outcome = ReloadOutcome.refused(trigger, started, clock.instant(),
            "the reload failed unexpectedly: " + e);
      }
      status = new ReloadSample(outcome.success(), outcome.finished());
      last = outcome;
      systemd.reloaded();
      onOutcome.accept(outcome);
      return outcome;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asks for a reload on the reload thread and returns at once (a signal handler's call).
   * Requests that arrive before the queued one started are folded into it; one that arrives
   * while a reload runs queues one more, which reads the files again.
   */
  public void request(String trigger) {
    if (queued.compareAndSet(false, true)) {
      try {
        worker.execute(() -> {
          queued.set(false);
          reload(trigger);
        });
      } catch (RejectedExecutionException e) {
        queued.set(false); // closed: the daemon is stopping
      }
    }
  }

  /** Returns the latest reload's outcome; empty before the first (for the API's status). */
  public Optional<ReloadOutcome> lastOutcome() {
    return Optional.ofNullable(last);
  }

  /** Returns whether the latest reload succeeded, and when it ended (at start: the load). */
  public ReloadSample status() {
    return status;
  }

  private ReloadOutcome attempt(String trigger, Instant started) {
    if (inputs.current().stopping().isPresent()) {
      LOG.warn("not reloading: the daemon is stopping");
      return ReloadOutcome.refused(trigger, started, clock.instant(), "the daemon is stopping");
    }
    LoadedConfig next;
    try {
      next = source.load();
    } catch (ConfigException e) {
      return invalid(trigger, started, e.errors());
    }
    ConfigDiff diff = ConfigDiff.between(running, next);
    if (!diff.conflicts().isEmpty()) {
      return invalid(trigger, started, diff.conflicts());
    }
    next.warnings().forEach(LOG::warn);
    loops.apply(diff.services(), diff.applied().daemon().splayStartup());
    running = diff.applied();
    onApplied.accept(running);
    diff.changes().forEach(c -> LOG.info("reload: {}", c));
    diff.needsRestart().forEach(n -> LOG.warn("reload: {}", n));
    ReloadOutcome outcome = ReloadOutcome.applied(trigger, started, clock.instant(), diff);
    LOG.info("reloaded the configuration: {}", outcome.summary());
    return outcome;
  }

  private ReloadOutcome invalid(String trigger, Instant started, List<ConfigError> errors) {
    errors.forEach(e -> LOG.error("reload: {}", e));
    ReloadOutcome outcome = ReloadOutcome.invalid(trigger, started, clock.instant(), errors);
    LOG.error("reload failed, the previous configuration keeps running: {}", outcome.summary());
    return outcome;
  }

  /**
   * Stops the reload thread, waiting (at most 10 s) for a reload in flight to finish: the stop
   * closes the loops next, and a reload is never cut in half.
   */
  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("a reload still runs 10 s into the stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
