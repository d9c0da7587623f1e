package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.anycast.healthchecker.bird.Reconciler;
import net.anycast.healthchecker.config.Configuration;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.health.HealthBoard;
import net.anycast.healthchecker.logging.LogSetup;
import net.anycast.healthchecker.metrics.HttpExporter;
import net.anycast.healthchecker.metrics.Metrics;
import net.anycast.healthchecker.metrics.TextfileExporter;
import net.anycast.healthchecker.monitor.StatusFile;
import net.anycast.healthchecker.schedule.ServiceLoops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's lifecycle, in the original's order: single-instance lock, pidfile, signals,
 * logging, the BIRD side (start-up sanity and first pass), the service loops; then metrics,
 * status file and systemd; and on SIGTERM/SIGINT/SIGABRT/SIGHUP a clean stop that leaves the
 * prefix files (and so the routes) as they are.
 */
public final class Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
  private static final Duration STATUS_FILE_INTERVAL = Duration.ofSeconds(5);
  private static final Duration SYSTEMD_STATUS_INTERVAL = Duration.ofSeconds(5);

  private final LoadedConfig loaded;
  private final String version;
  private final PrintWriter out;
  private final PrintWriter err;
  private final InstantSource clock = InstantSource.system();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicReference<String> stopSignal = new AtomicReference<>();

  public Daemon(LoadedConfig loaded, String version, PrintWriter out, PrintWriter err) {
    this.loaded = loaded;
    this.version = version;
    this.out = out;
    this.err = err;
  }

  /** Runs the daemon until a shutdown signal; returns the process exit code. */
  public int run() throws InterruptedException {
    Configuration config = loaded.configuration();
    Instant started = clock.instant();
    InstanceLock lock;
    try {
      lock = InstanceLock.acquire(InstanceLock.DEFAULT_NAME);
    } catch (InstanceLock.LockFailedException e) {
      err.println(e.getMessage());
      return 1;
    }
    out.println("acquired a lock by creating an abstract namespace socket");
    try (lock) {
      Pidfile pidfile;
      try {
        pidfile = Pidfile.acquire(config.daemon().pidfile(), out::println);
      } catch (Pidfile.AlreadyRunningException e) {
        err.println(e.getMessage());
        return 1;
      } catch (IOException e) {
        err.println("failed to write pidfile " + config.daemon().pidfile() + ": " + e);
        return 1;
      }
      out.flush();
      Signals.install(this::requestStop, this::runAllNow);
      LogSetup logs;
      try {
        logs = LogSetup.configure(config.daemon().log(), version);
      } catch (IOException e) {
        err.println("failed to set up logging: " + e.getMessage());
        removePidfile(pidfile);
        return 1;
      }
      try (logs) {
        runLogged(config, pidfile, started);
      }
    }
    return 0;
  }

  private volatile ServiceLoops loops;

  private void requestStop(String signal) {
    stopSignal.compareAndSet(null, signal);
    stop.countDown();
  }

  private void runAllNow() {
    ServiceLoops current = loops;
    if (current != null) {
      LOG.info("received SIGURG, running every check now");
      current.runAllNow();
    }
  }

  private void runLogged(Configuration config, Pidfile pidfile, Instant started)
      throws InterruptedException {
    LOG.info("starting anycast-healthchecker {} version", version);
    loaded.warnings().forEach(LOG::warn);
    HealthBoard board = new HealthBoard();
    List<Reconciler> reconcilers = new ArrayList<>();
    for (var family : config.daemon().birdFamilies()) {
      reconcilers.add(Reconciler.create(family, config.services(),
          config.daemon().purgeIpPrefixes(), board));
    }
    ServiceLoops serviceLoops =
        new ServiceLoops(config.services(), config.daemon().splayStartup(), board);
    DaemonState state =
        new DaemonState(config.services(), serviceLoops::statuses, reconcilers, clock);
    ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("housekeeping").daemon().factory());
    SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
    Path statusFile = StatusFile.besidePidfile(pidfile.path());
    HttpExporter http = null;
    try {
      reconcilers.forEach(Reconciler::start);
      serviceLoops.start();
      loops = serviceLoops;
      Metrics metrics = new Metrics(state, version, started);
      var prometheus = config.daemon().prometheus();
      if (prometheus.textfileExporter()) {
        new TextfileExporter(metrics, prometheus.textfileDir())
            .schedule(housekeeping, prometheus.interval());
      }
      if (prometheus.listen() != null) {
        http = startHttp(metrics, prometheus.listen());
      }
      StatusFile.schedule(housekeeping, statusFile, STATUS_FILE_INTERVAL, state::progress, clock);
      new Readiness(state, systemd).schedule(housekeeping, SYSTEMD_STATUS_INTERVAL);
      systemd.watchdogInterval().ifPresent(every -> {
        Watchdog watchdog = new Watchdog(state::progress, systemd, clock);
        housekeeping.scheduleAtFixedRate(watchdog::tick, every.toNanos(), every.toNanos(),
            TimeUnit.NANOSECONDS);
      });
      stop.await();
      LOG.info("received {}, shutting down",
          stopSignal.get() == null ? "a stop request" : stopSignal.get());
    } finally {
      systemd.stopping();
      loops = null;
      serviceLoops.close();
      reconcilers.forEach(Reconciler::close);
      housekeeping.shutdownNow();
      if (http != null) {
        http.close();
      }
      try {
        StatusFile.remove(statusFile);
      } catch (IOException e) {
        LOG.warn("failed to remove status file {}: {}", statusFile, e.toString());
      }
      removePidfile(pidfile);
      systemd.close();
      LOG.info("stopped; the prefix files are left as they are");
    }
  }

  private static HttpExporter startHttp(Metrics metrics, java.net.InetSocketAddress listen) {
    try {
      HttpExporter http = HttpExporter.start(metrics, listen);
      LOG.info("serving metrics on http://{}:{}/metrics", listen.getHostString(), http.port());
      return http;
    } catch (IOException e) {
      // Metrics are not worth losing the routes over: the daemon runs on without them.
      LOG.error("failed to serve metrics on {}: {}", listen, e.toString());
      return null;
    }
  }

  private static void removePidfile(Pidfile pidfile) {
    try {
      pidfile.remove();
    } catch (IOException e) {
      LOG.warn("failed to remove pidfile {}: {}", pidfile.path(), e.toString());
    }
  }

  /** Stops a running daemon as a shutdown signal would (tests and embedding). */
  public void stop() {
    requestStop(null);
  }
}
