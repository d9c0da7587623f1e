package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 */
public final class ServiceCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceCheck.class);

  private final ServiceConfig config;
  private final Check check;
  private final IpAssignment ip;
  private final InputsRef inputs;
  private final LongSupplier nanoTime;
  private final Thresholds thresholds;
  private final ServiceMdc mdc;
  private final AtomicReference<ServiceStatus> status;
  private volatile HealthTracker tracker = HealthTracker.initial();

  /**
   * Returns the check of one service; nothing runs until {@link #begin} and {@link #iterate}.
   *
   * @param check what to run; null only for a disabled service, which never runs anything
   * @param nanoTime the monotonic clock of loop progress and run times
   */
  public ServiceCheck(
      ServiceConfig config, Check check, IpAssignment ip, InputsRef inputs, LongSupplier nanoTime) {
    if (check == null && !config.checkDisabled()) {
      throw new IllegalArgumentException("service " + config.name() + " needs a check");
    }
    this.config = config;
    this.check = check;
    this.ip = ip;
    this.inputs = inputs;
    this.nanoTime = nanoTime;
    this.thresholds = new Thresholds(config.checkRise(), config.checkFail());
    this.mdc = new ServiceMdc(config);
    this.status =
        new AtomicReference<>(ServiceStatus.initial(config.name(), config.prefixes(), nanoTime.getAsLong()));
  }

  /** Returns the service name (the section name). */
  public String name() {
    return config.name();
  }

  /** Returns the latest status snapshot. */
  public ServiceStatus status() {
    return status.get();
  }

  /**
   * Starts the service: a disabled one publishes DISABLED once. Returns true when the service
   * must be checked from now on, false when it is disabled.
   */
  public boolean begin(Duration firstDelay) {
    Transition start = HealthTracker.start(config.checkDisabled());
    tracker = start.next();
    try (var _ = mdc.open(tracker.health())) {
      LOG.info("loading check for {}", config.name());
      if (!start.changed()) {
        if (firstDelay.isPositive()) {
          LOG.info("delaying startup for {}secs", seconds(firstDelay));
        }
        return true;
      }
      if (config.onDisabled() == OnDisabled.WITHDRAW) {
        LOG.info("Check is disabled and ip_prefix will be withdrawn");
      } else {
        LOG.info("check is disabled, ip_prefix wont be withdrawn");
      }
      inputs.publish(config.name(), start.health());
      status.set(withHealth(status.get(), start.health()));
      LOG.info("check is now permanently disabled");
      return false;
    }
  }

  /**
   * Runs one iteration.
   *
   * @throws InterruptedException when the loop is being closed (the check was killed and reaped)
   */
  public void iterate() throws InterruptedException {
    long started = nanoTime.getAsLong();
    try (var scope = mdc.open(tracker.health())) {
      ServiceStatus before = status.get();
      IpPrefix missing = missingPrefix();
      Observation observation;
      CheckResult result = null;
      if (missing != null) {
        observation = Observation.IP_NOT_ASSIGNED;
      } else {
        LOG.info("running {}", check.describe());
        result = check.run(config.checkTimeout());
        logResult(result);
        Optional<String> signal = killedFromOutside(result);
        if (signal.isPresent()) {
          LOG.warn("check was killed by {}, not by this daemon: that says nothing about the"
              + " service, so the run is not counted and the next one decides", signal.get());
          status.set(next(before, tracker.health(), result, true, nanoTime.getAsLong()));
          return;
        }
        observation = result instanceof CheckResult.Passed ? Observation.PASSED : Observation.FAILED;
      }
      Transition transition = tracker.observe(observation, thresholds);
      tracker = transition.next();
      scope.status(transition.health());
      logTransition(observation, transition, missing);
      if (transition.changed()) {
        inputs.publish(config.name(), transition.health());
      }
      long finished = nanoTime.getAsLong();
      status.set(next(before, transition.health(), result, missing == null, finished));
      LOG.info("wall clock time {}ms", millis(Duration.ofNanos(finished - started)));
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
  static Optional<String> killedFromOutside(CheckResult result) {
    if (!(result instanceof CheckResult.Failed f)) {
      return Optional.empty();
    }
    return switch (f.exitCode()) {
      case 128 + 1 -> Optional.of("SIGHUP");
      case 128 + 2 -> Optional.of("SIGINT");
      case 128 + 15 -> Optional.of("SIGTERM");
      default -> Optional.empty();
    };
  }

  private void logResult(CheckResult result) {
    switch (result) {
      case CheckResult.Passed p -> LOG.info("check duration {}ms", millis(p.took()));
      case CheckResult.Failed f -> {
        LOG.info("check duration {}ms", millis(f.took()));
        LOG.info("stderr from the check {}", f.stderr());
        LOG.info("stdout from the check {}", f.stdout());
      }
      case CheckResult.TimedOut t ->
          LOG.error("check timed out after {}secs, its process group was killed",
              seconds(config.checkTimeout()));
      case CheckResult.CouldNotRun c -> LOG.error("check could not be started: {}", c.reason());
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

  private static ServiceStatus next(
      ServiceStatus s, Health health, CheckResult result, boolean ipAssigned, long now) {
    if (result == null) { // not run: a prefix is not assigned; the original's metric says 1
      return new ServiceStatus(s.service(), s.prefixes(), health, 1, s.lastCheckDuration(),
          false, s.timeouts(), s.checkRuns(), transitions(s, health), now);
    }
    long timeouts = s.timeouts() + (result instanceof CheckResult.TimedOut ? 1 : 0);
    return new ServiceStatus(s.service(), s.prefixes(), health, result.exitCode(), result.took(),
        ipAssigned, timeouts, s.checkRuns() + 1, transitions(s, health), now);
  }

  private static long transitions(ServiceStatus before, Health after) {
    return before.transitions() + (before.health() != after ? 1 : 0);
  }

  private static ServiceStatus withHealth(ServiceStatus s, Health health) {
    return new ServiceStatus(s.service(), s.prefixes(), health, s.lastExitCode(),
        s.lastCheckDuration(), s.ipAssigned(), s.timeouts(), s.checkRuns(), s.transitions(),
        s.lastProgressNanos());
  }

  private String prefixes() {
    List<IpPrefix> p = config.prefixes();
    return p.stream().map(IpPrefix::toString).collect(Collectors.joining(", "));
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e6);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }
}
