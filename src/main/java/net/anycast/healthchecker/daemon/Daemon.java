package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import net.anycast.healthchecker.bird.Reconciler;
import net.anycast.healthchecker.config.FleetConfig;
import net.anycast.healthchecker.fleet.EtcdClient;
import net.anycast.healthchecker.fleet.FleetValve;
import net.anycast.healthchecker.check.CheckSandbox;
import net.anycast.healthchecker.check.SandboxFacts;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.config.Configuration;
import net.anycast.healthchecker.config.HttpConfig;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.config.OnShutdown;
import net.anycast.healthchecker.config.ShutdownConfig;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.logging.LogSetup;
import net.anycast.healthchecker.metrics.HttpExporter;
import net.anycast.healthchecker.metrics.Metrics;
import net.anycast.healthchecker.metrics.TextfileExporter;
import net.anycast.healthchecker.monitor.StatusFile;
import net.anycast.healthchecker.override.Drains;
import net.anycast.healthchecker.override.SpoolDirectory;
import net.anycast.healthchecker.override.SpoolWatcher;
import net.anycast.healthchecker.process.ChildSetup;
import net.anycast.healthchecker.process.ProcessRunner;
import net.anycast.healthchecker.process.SpawnMethod;
import net.anycast.healthchecker.schedule.LoopContext;
import net.anycast.healthchecker.schedule.DueChecks;
import net.anycast.healthchecker.schedule.ServiceLoops;
import net.anycast.healthchecker.web.ApiSnapshot;
import net.anycast.healthchecker.web.ReloadAction;
import net.anycast.healthchecker.web.ServerLimits;
import net.anycast.healthchecker.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's lifecycle, in the original's order: single-instance lock, pidfile, signals,
 * logging, the BIRD side (start-up sanity and first pass), the service loops; then metrics,
 * status file and systemd; on SIGHUP a reload ({@link Reloader}); and on SIGTERM/SIGINT/SIGABRT
 * a clean stop. From the moment the stop begins no health change moves a route: with {@code
 * on_shutdown = keep} (the default, as the original) the prefix files are left as they are; with
 * {@code withdraw} every prefix is withdrawn and BIRD's confirmation (then {@code
 * shutdown_grace}) awaited before the exit.
 */
public final class Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
  private static final Duration STATUS_FILE_INTERVAL = Duration.ofSeconds(5);
  // One etcd call of the fleet valve, over every endpoint tried: short, the valve retries.
  private static final Duration FLEET_CALL_DEADLINE = Duration.ofSeconds(2);
  private static final Duration SYSTEMD_STATUS_INTERVAL = Duration.ofSeconds(5);

  private final LoadedConfig loaded;
  private final Reloader.ConfigSource source;
  private final String version;
  private final PrintWriter out;
  private final PrintWriter err;
  private final InstantSource clock = InstantSource.system();
  private final StopRequest stop = new StopRequest();
  // Set once the inputs exist; a stop freezes them at once, on the signal's thread.
  private volatile InputsRef inputs;
  // The configuration in force: reloads replace it (on_shutdown and shutdown_grace apply).
  private volatile Configuration current;
  // Set once the loops run; a SIGHUP before that waits in reloadAsked.
  private volatile Reloader reloader;
  private final AtomicBoolean reloadAsked = new AtomicBoolean();

  /**
   * @param loaded the configuration to start with
   * @param source reads the same files again, for reloads
   */
  public Daemon(LoadedConfig loaded, Reloader.ConfigSource source, String version,
      PrintWriter out, PrintWriter err) {
    this.loaded = loaded;
    this.source = source;
    this.current = loaded.configuration();
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
      lock = InstanceLock.acquire(InstanceLock.name(System.getProperties()));
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
      Signals.install(this::requestStop, this::forceStop, this::runAllNow, this::requestReload);
      LogSetup logs;
      try {
        logs = LogSetup.configure(config.daemon().log(), version);
      } catch (IOException e) {
        err.println("failed to set up logging: " + e.getMessage());
        removePidfile(pidfile);
        return 1;
      }
      try (logs) {
        runLogged(config, pidfile, started, logs);
      }
    }
    return 0;
  }

  private volatile ServiceLoops loops;

  /**
   * Starts the stop: from this instant no health change moves a route (the inputs freeze, and
   * with {@code on_shutdown = withdraw} the reconcilers start withdrawing), then wakes the main
   * thread to close everything.
   */
  private void requestStop(String signal) {
    InputsRef in = inputs;
    if (in != null) {
      in.update(i -> i.stopping(current.daemon().shutdown().policy()));
    }
    stop.request(signal);
  }

  private void forceStop(String signal) {
    if (current.daemon().shutdown().policy() == OnShutdown.WITHDRAW) {
      LOG.warn("received {} again, exiting now without waiting for the withdrawal", signal);
    } else {
      // keep: the stop waits for nothing (a shell's Ctrl-C reaches the daemon twice, say)
      LOG.info("received {} again while stopping", signal);
    }
    stop.force();
  }

  private void runAllNow() {
    ServiceLoops current = loops;
    if (current != null) {
      LOG.info("received SIGURG, running every check now");
      current.runAllNow();
    }
  }

  /**
   * Hands SIGHUP to the reloader; one that comes while the daemon starts is kept and runs once
   * the loops are up (the same flag is checked there, so exactly one side asks).
   */
  private void requestReload() {
    if (stop.by().isPresent()) {
      LOG.info("received SIGHUP while stopping: not reloading");
      return;
    }
    reloadAsked.set(true);
    Reloader r = reloader;
    if (r != null && reloadAsked.getAndSet(false)) {
      LOG.info("received SIGHUP, reloading the configuration");
      r.request("SIGHUP");
    }
  }

  private void runLogged(Configuration config, Pidfile pidfile, Instant started, LogSetup logs)
      throws InterruptedException {
    LOG.info("starting anycast-healthchecker {} version", version);
    loaded.warnings().forEach(LOG::warn);
    InputsRef in = new InputsRef(Inputs.of(config.services()));
    DueChecks due = new DueChecks();
    List<Reconciler> reconcilers = new ArrayList<>();
    for (var family : config.daemon().birdFamilies()) {
      reconcilers.add(Reconciler.create(family, config.daemon().purgeIpPrefixes(), in,
          due::dueBy));
    }
    LoopContext loopContext = LoopContext.system(checkSetup(config));
    ServiceLoops serviceLoops = new ServiceLoops(config.services(),
        config.daemon().splayStartup(), in, due, loopContext);
    FleetValve valve = fleetValve(config.daemon().fleet(), in, reconcilers);
    Map<String, LongSupplier> watched = new java.util.HashMap<>(checkWatch());
    if (valve != null) {
      watched.put("fleet-valve", valve::lastTurnNanos);
    }
    DaemonState state = new DaemonState(in::current, serviceLoops::statuses, reconcilers, clock,
        System::nanoTime, watched);
    state.slots(serviceLoops::slotCounts);
    SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
    Path reloadFile = ReloadFile.besidePidfile(pidfile.path());
    long pid = ProcessHandle.current().pid();
    // The files the configuration in force came from, for the API: a reload may add some.
    AtomicReference<List<Path>> configFiles = new AtomicReference<>(loaded.ini().files());
    AtomicReference<List<Path>> filesRead = new AtomicReference<>(configFiles.get());
    Reloader.ConfigSource reading = () -> {
      LoadedConfig next = source.load();
      filesRead.set(next.ini().files());
      return next;
    };
    Reloader reload = new Reloader(reading, config, started, serviceLoops, in,
        applied -> applyRuntimeSettings(applied, logs, reconcilers),
        outcome -> {
          if (outcome.success()) {
            configFiles.set(filesRead.get());
          }
          writeReloadFile(reloadFile, new ReloadFile.Entry(pid, outcome));
        },
        systemd, clock, () -> System.nanoTime() / 1000);
    ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("housekeeping").daemon().factory());
    Path statusFile = StatusFile.besidePidfile(pidfile.path());
    HttpExporter http = null;
    WebServer web = null;
    ScheduledExecutorService spoolThread = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("spool").daemon().factory());
    Thread rehearsal = Thread.ofPlatform().name("rehearsal").daemon().unstarted(() ->
        ChangeRehearsal.of(config.services(), config.daemon().birdFamilies(),
            Path.of(System.getProperty("java.io.tmpdir")), loopContext.checks(),
            CompilerIdle.system())
            .ifPresent(ChangeRehearsal::runLogged));
    SpoolWatcher spool = new SpoolWatcher(new SpoolDirectory(config.daemon().spoolDir()),
        d -> in.update(i -> i.withDrains(d)), clock, spoolThread);
    try {
      inputs = in;
      if (stop.by().isPresent()) { // a signal came before the inputs existed
        in.update(i -> i.stopping(config.daemon().shutdown().policy()));
      }
      // Drains before the first pass: a service drained before a restart is never announced.
      Drains drains = spool.start();
      LOG.info("reading drains from spool directory {}: {}", config.daemon().spoolDir(),
          drains.all().isEmpty() ? "none" : String.join(", ", drains.all().keySet()));
      if (valve != null) { // before the first pass: no health withdrawal without the fleet's say
        valve.start();
        in.onChange(valve::wake);
        reconcilers.forEach(r -> r.onStatus(valve::wake));
        state.fleet(valve::status);
      }
      reconcilers.forEach(Reconciler::start);
      serviceLoops.start();
      loops = serviceLoops;
      reloader = reload;
      if (reloadAsked.getAndSet(false)) {
        LOG.info("received SIGHUP while starting, reloading the configuration now");
        reload.request("SIGHUP");
      }
      Metrics metrics = new Metrics(state, reload::status, version, started);
      var prometheus = config.daemon().prometheus();
      if (prometheus.textfileExporter()) {
        new TextfileExporter(metrics, prometheus.textfileDir())
            .schedule(housekeeping, prometheus.interval());
      }
      HttpConfig api = config.daemon().http();
      if (api.listen() != null || prometheus.listen() != null) {
        ServerLimits.apply(); // before the first JDK HTTP server, whichever it is
      }
      if (prometheus.listen() != null && !prometheus.listen().equals(api.listen())) {
        http = startHttp(metrics, prometheus.listen());
      }
      if (api.listen() != null) {
        Supplier<ApiSnapshot.DaemonFacts> facts = () -> new ApiSnapshot.DaemonFacts(version,
            pid, started, configFiles.get(), reload.lastOutcome().map(o ->
                new ApiSnapshot.ReloadFacts(o.finished(), o.success(), o.errors())).orElse(null),
            state.fleetStatus());
        web = startWeb(api, () -> current.daemon().http(), new WebServer.Sources(
            () -> state.apiSnapshot(facts.get()), in::current,
            new SpoolDirectory(config.daemon().spoolDir()), metrics.registry(), clock,
            trigger -> apiResult(reload.reload(trigger))));
        if (web != null) {
          in.onChange(web::changed);
          for (Reconciler r : reconcilers) {
            r.onStatus(web::changed);
          }
        }
      }
      StatusFile.Writer status =
          StatusFile.schedule(housekeeping, statusFile, STATUS_FILE_INTERVAL, state::facts, clock);
      in.onChange(status::soon);
      Readiness readiness = new Readiness(state, systemd);
      readiness.schedule(housekeeping, SYSTEMD_STATUS_INTERVAL);
      readiness.whenReady(rehearsal::start);
      systemd.watchdogInterval().ifPresent(every -> {
        Watchdog watchdog = new Watchdog(state::progress, systemd, clock);
        housekeeping.scheduleAtFixedRate(watchdog::tick, every.toNanos(), every.toNanos(),
            TimeUnit.NANOSECONDS);
      });
      stop.await();
      LOG.info("received {}, shutting down", stop.by().orElse("a stop request"));
    } finally {
      systemd.stopping();
      stopRehearsal(rehearsal);
      reloader = null;
      reload.close();
      loops = null;
      spool.close();
      spoolThread.shutdownNow();
      serviceLoops.close();
      withdrawIfAsked(current.daemon().shutdown(), in, reconcilers, systemd);
      reconcilers.forEach(Reconciler::close);
      if (valve != null) {
        valve.close(); // after the last pass: a withdrawing stop has deleted its keys by now
      }
      housekeeping.shutdownNow();
      if (http != null) {
        http.close();
      }
      if (web != null) {
        web.close();
      }
      try {
        StatusFile.remove(statusFile);
        ReloadFile.remove(reloadFile);
      } catch (IOException e) {
        LOG.warn("failed to remove status file {} or {}: {}", statusFile, reloadFile,
            e.toString());
      }
      removePidfile(pidfile);
      systemd.close();
      LOG.info(in.current().stopping().orElse(OnShutdown.KEEP) == OnShutdown.WITHDRAW
          ? "stopped; every prefix was withdrawn"
          : "stopped; the prefix files are left as they are");
    }
  }

  /** Returns the fleet valve when {@code fleet_etcd_endpoints} is set, else null. */
  private static FleetValve fleetValve(FleetConfig fleet, InputsRef in,
      List<Reconciler> reconcilers) {
    if (!fleet.enabled()) {
      return null;
    }
    LOG.info("fleet valve: node {} asks etcd at {} before a health withdrawal (at least {} other"
        + " announcers, lease TTL {} s)", fleet.nodeName(), fleet.endpoints(),
        fleet.minAnnouncers(), fleet.leaseTtl().toSeconds());
    return new FleetValve(fleet, new EtcdClient(fleet, FLEET_CALL_DEADLINE), in,
        () -> reconcilers.stream().map(Reconciler::status).toList(), System::nanoTime);
  }

  /** Interrupts a change rehearsal still running and waits a little for it to clean up. */
  private static void stopRehearsal(Thread rehearsal) {
    if (rehearsal.isAlive()) { // never started when the daemon stopped before it was ready
      rehearsal.interrupt();
      try {
        rehearsal.join(Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the rest of the shutdown still runs
      }
    }
  }

  /**
   * With {@code on_shutdown = withdraw}, waits (bounded; a second SIGTERM cuts it short) until
   * BIRD confirmed the withdrawal the stop asked for, then {@code shutdown_grace}.
   */
  private void withdrawIfAsked(ShutdownConfig shutdown, InputsRef in, List<Reconciler> reconcilers,
      SystemdNotifier systemd) {
    Inputs stopping = in.current();
    if (stopping.stopping().orElse(OnShutdown.KEEP) != OnShutdown.WITHDRAW) {
      return;
    }
    systemd.extendTimeout(WithdrawOnStop.longest(shutdown).plusSeconds(10));
    LOG.info("on_shutdown = withdraw: withdrawing every prefix before exiting");
    try {
      new WithdrawOnStop(reconcilers, stop, System::nanoTime)
          .run(stopping.version(), shutdown.grace());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Takes a reload's runtime {@code [daemon]} settings: the stop's policy and grace (read when a
   * stop begins), the log level, each family's BIRD settings.
   */
  private void applyRuntimeSettings(Configuration applied, LogSetup logs,
      List<Reconciler> reconcilers) {
    current = applied;
    logs.level(applied.daemon().log().level());
    for (BirdFamilyConfig family : applied.daemon().birdFamilies()) {
      reconcilers.stream().filter(r -> r.status().family() == family.family())
          .forEach(r -> r.applySettings(family));
    }
  }

  private static void writeReloadFile(Path file, ReloadFile.Entry entry) {
    try {
      ReloadFile.write(file, entry);
    } catch (IOException e) {
      // The reload itself is done; only the reload command will not learn of it (and says so).
      LOG.warn("failed to write reload outcome file {}: {}", file, e.toString());
    }
  }

  /** Returns how checks are started (environment, user, groups), warning what cannot be done. */
  private static ChildSetup checkSetup(Configuration config) throws InterruptedException {
    var checks = config.daemon().checks();
    CheckSandbox.Decision d = CheckSandbox.decide(checks,
        SandboxFacts.observe(checks, new ProcessRunner()));
    d.warnings().forEach(LOG::warn);
    LOG.info("checks get the environment variables {}{}", d.setup().environment().keySet(),
        d.setup().argvPrefix().isEmpty() ? "" : " and run through " + d.setup().argvPrefix());
    return d.setup();
  }

  /**
   * Returns the thread that watches check processes, when the checks are started the way that
   * needs one: the watchdog is tied to it, since every check depends on it.
   */
  private static Map<String, LongSupplier> checkWatch() {
    OptionalLong now = SpawnMethod.preferred().watchProgressNanos();
    return now.isPresent()
        ? Map.of("check-process-watcher",
            () -> SpawnMethod.POSIX_SPAWN.watchProgressNanos().orElse(0))
        : Map.of();
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

  /** Returns a reload's outcome as the API tells it. */
  private static ReloadAction.Result apiResult(ReloadOutcome o) {
    return new ReloadAction.Result(o.result().name().toLowerCase(java.util.Locale.ROOT),
        o.summary(), o.errors(), o.needsRestart(), o.changes());
  }

  private static WebServer startWeb(HttpConfig api, Supplier<HttpConfig> current,
      WebServer.Sources sources) {
    try {
      WebServer web = WebServer.start(api.listen(), current, sources);
      LOG.info("serving the HTTP API, the status page and /metrics on http://{}:{}/ ({})",
          api.listen().getHostString(), web.port(), api.bearerToken().isPresent()
              ? "writes need the token of " + api.tokenFile() : "read-only: no http_token_file");
      return web;
    } catch (IOException | RuntimeException e) {
      // Like the metrics: the routes matter more than the page, so the daemon runs on.
      LOG.error("failed to serve the HTTP API on {}: {}", api.listen(), e.toString());
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
