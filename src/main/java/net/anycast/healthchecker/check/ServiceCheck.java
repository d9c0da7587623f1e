package net.anycast.healthchecker.check;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.health.HealthTracker;
import net.anycast.healthchecker.health.Observation;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.health.Thresholds;
import net.anycast.healthchecker.health.Transition;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.net.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service: what each iteration of its loop does, and what it logs and publishes.
 *
 * <p>An iteration checks IP assignment, runs the check when the prefixes are there, feeds the
 * outcome to the pure {@link HealthTracker}, logs in the original's words, publishes the health
 * to the {@link InputsRef} when it changed, and replaces the {@link ServiceStatus} snapshot.
 * Iterations of one service never overlap (the loop guarantees it), so the tracker needs no
 * lock; it is volatile because consecutive iterations run on different threads.
 *
 * <p>A reload changes a service in one of three ways: its route settings ({@link #update}, the
 * loop goes on), its checks ({@link #retire} this one, then its {@link #successor} runs from the
 * health the service has), or its removal ({@link #retire}).
 */
public final class ServiceCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceCheck.class);

  // Replaced by update(): a reload may change the prefixes and route settings, never the check.
  private volatile ServiceConfig config;
  private final CheckGroup checks;
  private final IpAssignment ip;
  private final InputsRef inputs;
  private final InstantSource clock;
  private final LongSupplier nanoTime;
  private final Thresholds thresholds;
  private volatile ServiceMdc mdc;
  private final AtomicReference<ServiceStatus> status;
  private volatile HealthTracker tracker = HealthTracker.initial();
  private volatile boolean retired;

  /**
   * Returns the check of one service whose only check is {@code check}, of the kind of the
   * service's first configured check.
   */
  public ServiceCheck(
      ServiceConfig config, Check check, IpAssignment ip, InputsRef inputs, InstantSource clock) {
    this(config, single(config, check), ip, inputs, clock, System::nanoTime);
  }

  /** As above, on the system's wall clock and the given monotonic one. */
  public ServiceCheck(
      ServiceConfig config, Check check, IpAssignment ip, InputsRef inputs, LongSupplier nanoTime) {
    this(config, single(config, check), ip, inputs, InstantSource.system(), nanoTime);
  }

  private static CheckGroup single(ServiceConfig config, Check check) {
    return check == null ? null
        : CheckGroup.single(config.checks().specs().getFirst().kind(), check);
  }

  /**
   * Returns the check of one service; nothing runs until {@link #start}, then
   * {@link #iterate} or {@link #begin} for each iteration.
   *
   * @param checks what to run; null only for a disabled service, which never runs anything
   * @param clock the wall clock of what the status shows (when a run started, a change)
   * @param nanoTime the monotonic clock of loop progress and run times
   */
  public ServiceCheck(ServiceConfig config, CheckGroup checks, IpAssignment ip,
      InputsRef inputs, InstantSource clock, LongSupplier nanoTime) {
    if (checks == null && !config.checkDisabled()) {
      throw new IllegalArgumentException("service " + config.name() + " needs a check");
    }
    this.config = config;
    this.checks = checks;
    this.ip = ip;
    this.inputs = inputs;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.thresholds = new Thresholds(config.checkRise(), config.checkFail());
    this.mdc = new ServiceMdc(config);
    this.status = new AtomicReference<>(ServiceStatus.initial(config.name(), config.prefixes(),
        clock.instant(), nanoTime.getAsLong(),
        checks == null ? List.of() : StatusStep.initialChecks(checks)));
  }

  /** Returns the service name (the section name). */
  public String name() {
    return config.name();
  }

  /** Returns the service's configuration, as the latest {@link #update} left it. */
  public ServiceConfig config() {
    return config;
  }

  /**
   * Returns the check that replaces this one when a reload changed the service's checks; call it
   * after {@link #retire} and after the inputs have the new configuration. It starts from the
   * health the inputs have for the service (UP or DOWN stays until the new check decides, with
   * fresh rise/fall streaks: the old check's streaks say nothing about the new one; anything else
   * starts UNKNOWN) and carries this one's counters.
   *
   * @param checks what to run; null only for a disabled service
   */
  public ServiceCheck successor(ServiceConfig next, CheckGroup checks) {
    ServiceCheck s = new ServiceCheck(next, checks, ip, inputs, clock, nanoTime);
    Health now = inputs.current().health(next.name());
    Health from = now == Health.UP || now == Health.DOWN ? now : Health.UNKNOWN;
    s.tracker = new HealthTracker(from, 0, 0);
    s.status.set(restarted(status.get(), s.status.get(), next.prefixes(), from,
        clock.instant(), nanoTime.getAsLong()));
    return s;
  }

  /**
   * Stops this check from publishing health: a reload removed the service or replaced its
   * check, and a run still in flight must not move the routes of what replaced it.
   */
  public void retire() {
    retired = true;
  }

  /**
   * Takes a reload's new route settings of the service (prefixes, on_disabled, on_drain, custom
   * command); the check, its loop and its rise/fall streaks go on.
   *
   * @throws IllegalArgumentException when {@code next} is another service
   */
  public void update(ServiceConfig next) {
    if (!next.name().equals(config.name())) {
      throw new IllegalArgumentException(next.name() + " is not " + config.name());
    }
    config = next;
    mdc = new ServiceMdc(next);
    status.updateAndGet(s -> s.withPrefixes(next.prefixes()));
  }

  /** Returns the latest status snapshot. */
  public ServiceStatus status() {
    return status.get();
  }

  /**
   * Starts the service: a disabled one publishes DISABLED once. Returns true when the service
   * must be checked from now on, false when it is disabled.
   */
  public boolean start(Duration firstDelay) {
    Transition start = HealthTracker.start(config.checkDisabled());
    tracker = start.next();
    try (var _ = mdc.open(tracker.health())) {
      LOG.info("loading check for {}", config.name());
      if (!start.changed()) {
        if (firstDelay.isPositive()) {
          LOG.info("delaying startup for {}secs", LoggedDuration.seconds(firstDelay));
        }
        return true;
      }
      if (config.onDisabled() == OnDisabled.WITHDRAW) {
        LOG.info("Check is disabled and ip_prefix will be withdrawn");
      } else {
        LOG.info("check is disabled, ip_prefix wont be withdrawn");
      }
      inputs.publish(config.name(), start.health());
      status.set(status.get().withHealth(start.health()));
      LOG.info("check is now permanently disabled");
      return false;
    }
  }

  /**
   * Returns whether every check of the service runs without a thread of its own
   * ({@link CheckGroup#nonBlocking}): then the loop calls {@link #begin}, else {@link #iterate}
   * on a thread that may block.
   */
  public boolean nonBlocking() {
    return checks != null && checks.nonBlocking();
  }

  /**
   * Runs one iteration on this thread.
   *
   * @throws InterruptedException when the loop is being closed (the check was killed and reaped)
   */
  public void iterate() throws InterruptedException {
    Run run = open();
    if (run.missing() != null) {
      conclude(run, null);
      return;
    }
    CheckGroup.Outcome outcome;
    try (var _ = mdc.open(tracker.health())) {
      LOG.info("running {}", checks.describe());
      outcome = checks.run(config.checkTimeout());
    }
    conclude(run, outcome);
  }

  /**
   * Begins one iteration of a {@link #nonBlocking} service without blocking, and calls
   * {@code done} once it has ended: at once when a prefix is missing, else on the thread that
   * ends the last check (its reactor's).
   */
  public void begin(Runnable done) {
    Run run = open();
    if (run.missing() != null) {
      try {
        conclude(run, null);
      } finally {
        done.run();
      }
      return;
    }
    if (LOG.isInfoEnabled()) {
      try (var _ = mdc.open(tracker.health())) {
        LOG.info("running {}", checks.describe());
      }
    }
    checks.begin(config.checkTimeout(), outcome -> {
      try {
        conclude(run, outcome);
      } finally {
        done.run();
      }
    });
  }

  /** What an iteration knows before its checks run. */
  private record Run(Instant started, long startedNanos, ServiceStatus before, IpPrefix missing) {}

  private Run open() {
    Instant started = clock.instant();
    long startedNanos = nanoTime.getAsLong();
    if (config.ipCheckDisabled() && !LOG.isInfoEnabled()) { // nothing to log: no MDC to fill
      return new Run(started, startedNanos, status.get(), null);
    }
    try (var _ = mdc.open(tracker.health())) {
      return new Run(started, startedNanos, status.get(), missingPrefix());
    }
  }

  /** Ends an iteration: what the checks gave (null when a prefix was missing) decides. */
  private void conclude(Run run, CheckGroup.Outcome outcome) {
    try (var scope = mdc.open(tracker.health())) {
      Observation observation;
      if (outcome == null) {
        observation = Observation.IP_NOT_ASSIGNED;
      } else {
        Optional<String> signal = killedFromOutside(outcome);
        if (signal.isPresent()) {
          logResults(outcome);
          LOG.warn("check was killed by {}, not by this daemon: that says nothing about the"
              + " service, so the run is not counted and the next one decides", signal.get());
          status.set(StatusStep.next(run.before(), tracker, checks, outcome, run.started(),
              clock.instant(), nanoTime.getAsLong()));
          return;
        }
        observation = outcome.passed() ? Observation.PASSED : Observation.FAILED;
      }
      Transition transition = tracker.observe(observation, thresholds);
      tracker = transition.next();
      if (transition.changed()) {
        // Published before the lines below are logged: the reconciler starts on another core
        // while this thread formats and writes them (five lines of an exec check took about a
        // millisecond off the way to BIRD while the code is cold). The log's order within this
        // service is the original's; the reconciler's own lines may come between them.
        // Checked inside the update: once retire() returned and the reload published its
        // inputs, no late result of this check can land.
        String name = config.name();
        inputs.update(i -> retired ? i : i.withHealth(name, transition.health()));
      }
      if (outcome != null) {
        logResults(outcome);
      }
      scope.status(transition.health());
      logTransition(observation, transition, run.missing());
      long finishedNanos = nanoTime.getAsLong();
      Instant finished = clock.instant();
      status.set(outcome == null
          ? StatusStep.notAssigned(run.before(), tracker, run.started(), finished, finishedNanos)
          : StatusStep.next(run.before(), tracker, checks, outcome, run.started(), finished,
              finishedNanos));
      LOG.info("wall clock time {}ms",
          LoggedDuration.millis(Duration.ofNanos(finishedNanos - run.startedNanos())));
    }
  }

  /** Returns the first prefix not assigned to the interface, or null when all are (or unknown). */
  private IpPrefix missingPrefix() {
    String iface = config.interfaceName();
    if (config.ipCheckDisabled()) {
      LOG.info("checking for IP assignment on interface {} is disabled", iface);
      return null;
    }
    return switch (ip.check(iface, config.prefixes())) {
      case IpAssignment.Answer.Assigned a -> null;
      case IpAssignment.Answer.NotAssigned n -> n.missing();
      case IpAssignment.Answer.NoSuchInterface n -> {
        // Fix: the original's `ip` call failed here and it counted the prefix as assigned.
        LOG.warn("interface {} does not exist, so no prefix can be assigned to it", iface);
        yield config.prefixes().getFirst();
      }
      case IpAssignment.Answer.CannotTell c -> {
        // Policy "cannot tell": when the interface table cannot be read at all, assume the
        // prefixes are assigned and let the check decide, as the original does on any error of
        // `ip`. A failure to read the table says nothing about the service; withdrawing every
        // service at once on a transient read error would be a self-made outage, and a prefix
        // really gone from the interface is withdrawn by BIRD's direct protocol anyway.
        LOG.error("cannot tell whether {} is assigned to {} interface, assuming it is: {}",
            prefixes(), iface, c.reason());
        yield null;
      }
    };
  }

  /**
   * Returns the signal that ended a check when it came from outside the daemon: SIGTERM, SIGINT
   * or SIGHUP (exit 128 + n, as a shell reports it too). Policy "not evidence": systemd stops a
   * unit by sending SIGTERM to every process of it, checks included, at the same instant as to
   * the daemon; counting those runs as failures withdrew healthy routes on a plain stop. Our own
   * timeout kill is SIGKILL and stays a failure (a {@code TimedOut}); so does any crash.
   */
  static Optional<String> killedFromOutside(CheckGroup.Outcome outcome) {
    for (CheckResult r : outcome.results()) {
      Optional<String> signal = killedFromOutside(r);
      if (signal.isPresent()) {
        return signal;
      }
    }
    return Optional.empty();
  }

  static Optional<String> killedFromOutside(CheckResult result) {
    if (!(result instanceof CheckResult.Exited f)) {
      return Optional.empty();
    }
    return switch (f.code()) {
      case 128 + 1 -> Optional.of("SIGHUP");
      case 128 + 2 -> Optional.of("SIGINT");
      case 128 + 15 -> Optional.of("SIGTERM");
      default -> Optional.empty();
    };
  }

  private void logResults(CheckGroup.Outcome outcome) {
    List<CheckGroup.Member> members = checks.members();
    for (int i = 0; i < members.size(); i++) {
      // One check logs the original's words; several prefix each line with the check's kind.
      String kind = members.size() == 1 ? "" : members.get(i).kind() + " ";
      logResult(kind, outcome.results().get(i));
    }
    if (members.size() > 1) {
      long passed = outcome.results().stream().filter(CheckResult::passed).count();
      LOG.info("{} of {} checks passed, check_mode = {}: {}", passed, members.size(),
          checks.mode(), outcome.passed() ? "passed" : "failed");
    }
  }

  private void logResult(String kind, CheckResult result) {
    switch (result) {
      case CheckResult.Passed p ->
          LOG.info("{}check duration {}ms", kind, LoggedDuration.millis(p.took()));
      case CheckResult.Exited f -> {
        LOG.info("{}check duration {}ms", kind, LoggedDuration.millis(f.took()));
        LOG.info("{}stderr from the check {}", kind, f.stderr());
        LOG.info("{}stdout from the check {}", kind, f.stdout());
      }
      case CheckResult.Failed f ->
          LOG.info("{}check failed after {}ms: {}", kind, LoggedDuration.millis(f.took()),
              f.reason());
      case CheckResult.TimedOut t when t.exec() ->
          LOG.error("{}check timed out after {}secs, its process group was killed", kind,
              LoggedDuration.seconds(config.checkTimeout()));
      case CheckResult.TimedOut t -> LOG.error("{}check {} after {}secs", kind, t.reason(),
          LoggedDuration.seconds(config.checkTimeout()));
      case CheckResult.CouldNotRun c ->
          LOG.error("{}check could not be started: {}", kind, c.reason());
    }
  }

  private void logTransition(Observation observation, Transition t, IpPrefix missing) {
    HealthTracker next = t.next();
    switch (observation) {
      case PASSED -> {
        if (next.okStreak() < thresholds.rise()) {
          LOG.info("going up {}/{}", next.okStreak(), thresholds.rise());
        } else {
          LOG.info("status UP");
        }
      }
      case FAILED -> {
        if (next.failStreak() < thresholds.fall()) {
          LOG.info("going down {}/{}", next.failStreak(), thresholds.fall());
        } else {
          LOG.info("status DOWN");
        }
      }
      case IP_NOT_ASSIGNED ->
          LOG.warn("status DOWN because {} isn't assigned to {} interface",
              missing, config.interfaceName());
    }
    if (t.changed()) {
      String request = t.health() == Health.UP ? "announcing" : "withdrawing";
      LOG.info("status changed to {} from {}, {} {}", t.health(), t.previous(), request, prefixes());
    }
  }

  /**
   * Returns the status a successor starts from: the counters go on, the health is the one it
   * starts from, the streaks start from nothing, the checks are the new ones (the last run shown
   * is the old checks'), and progress counts from now (the new loop has had no chance yet).
   */
  private static ServiceStatus restarted(ServiceStatus s, ServiceStatus fresh,
      List<IpPrefix> prefixes, Health health, Instant now, long nowNanos) {
    return new ServiceStatus(s.service(), prefixes, health, s.lastExitCode(),
        s.lastCheckDuration(), s.ipAssigned(), s.timeouts(), s.checkRuns(), s.transitions(),
        nowNanos, 0, 0, s.lastCheck(), s.health() != health ? now : s.lastChange(), fresh.checks());
  }

  private String prefixes() {
    List<IpPrefix> p = config.prefixes();
    return p.stream().map(IpPrefix::toString).collect(Collectors.joining(", "));
  }
}
