package net.anycast.healthchecker.daemon;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import net.anycast.healthchecker.bird.Reconciler;
import net.anycast.healthchecker.bird.ReconcilerStatus;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.CheckState;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.metrics.BirdSample;
import net.anycast.healthchecker.fleet.FleetStatus;
import net.anycast.healthchecker.metrics.CheckSample;
import net.anycast.healthchecker.metrics.FleetSample;
import net.anycast.healthchecker.metrics.MetricsSource;
import net.anycast.healthchecker.metrics.ServiceSample;
import net.anycast.healthchecker.metrics.SlotSample;
import net.anycast.healthchecker.monitor.StatusFile;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.process.SpawnMethod;
import net.anycast.healthchecker.schedule.SlotCounts;
import net.anycast.healthchecker.web.ApiSnapshot;

/**
 * Read-only views of the running daemon, built from the loops' and reconcilers' immutable
 * snapshots: metrics samples, loop progress for the watchdog and the status file, and the
 * one-line summary systemd shows.
 */
final class DaemonState implements MetricsSource {
  /** How long a thread of {@code threads} may go without turning: it turns every second. */
  static final Duration THREAD_GAP = Duration.ofSeconds(30);

  private final Supplier<Inputs> inputs;
  private final Supplier<List<ServiceStatus>> statuses;
  private final List<Reconciler> reconcilers;
  private final InstantSource clock;
  private final LongSupplier nanoTime;
  private final Map<String, LongSupplier> threads;
  private volatile Supplier<FleetStatus> fleet = () -> null;
  private volatile Supplier<List<SlotCounts>> slots = List::of;

  /**
   * @param clock the wall clock, only to show progress as a time of day
   * @param nanoTime the monotonic clock the loops record their progress on
   * @param threads other threads the daemon cannot do without, by name: when each last turned
   *     (monotonic); one that stops turning for {@link #THREAD_GAP} stops the watchdog too
   */
  DaemonState(Supplier<Inputs> inputs, Supplier<List<ServiceStatus>> statuses,
      List<Reconciler> reconcilers, InstantSource clock, LongSupplier nanoTime,
      Map<String, LongSupplier> threads) {
    this.inputs = inputs;
    this.statuses = statuses;
    this.reconcilers = List.copyOf(reconcilers);
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.threads = Map.copyOf(threads);
  }

  /**
   * Returns one sample per service and prefix: the original labels every series with one
   * {@code ip_prefix}, so a service with several prefixes shows up once per prefix. Health and
   * drains come from the reconciler's inputs, the snapshot that decides the routes; counters
   * from each loop's status.
   */
  @Override
  public List<ServiceSample> services() {
    Inputs in = inputs.get();
    List<ServiceSample> out = new ArrayList<>();
    for (ServiceStatus s : statuses.get()) {
      Health health = in.health(s.service());
      boolean drained = in.drain(s.service()).isPresent();
      for (IpPrefix prefix : s.prefixes()) {
        out.add(new ServiceSample(s.service(), prefix, health, s.lastExitCode(),
            s.lastCheckDuration(), s.ipAssigned(), s.timeouts(), s.checkRuns(),
            s.transitions(), drained));
      }
    }
    return out;
  }

  @Override
  public List<CheckSample> checks() {
    List<CheckSample> out = new ArrayList<>();
    for (ServiceStatus s : statuses.get()) {
      for (CheckState c : s.checks()) {
        out.add(new CheckSample(s.service(), c.kind(), c.passed(), c.took(), c.runs(),
            c.failures(), c.timeouts()));
      }
    }
    return out;
  }

  @Override
  public List<BirdSample> bird() {
    return reconcilers.stream().map(Reconciler::status).map(r -> new BirdSample(r.family(),
        r.desiredPrefixes(), Math.max(0, r.appliedPrefixes()), r.reconfigures(),
        r.reconfigureFailures(), r.lastReconfigureDuration())).toList();
  }

  /** Shows the loops' slot counts from now on. */
  void slots(Supplier<List<SlotCounts>> loops) {
    this.slots = loops;
  }

  /** Returns one sample per service with a loop and prefix, labelled as {@link #services}. */
  @Override
  public List<SlotSample> slots() {
    Map<String, List<IpPrefix>> prefixes = new HashMap<>();
    for (ServiceStatus s : statuses.get()) {
      prefixes.put(s.service(), s.prefixes());
    }
    List<SlotSample> out = new ArrayList<>();
    for (SlotCounts c : slots.get()) {
      for (IpPrefix prefix : prefixes.getOrDefault(c.service(), List.of())) {
        out.add(new SlotSample(c.service(), prefix, c.started(), c.late(), c.skipped(),
            c.lateness()));
      }
    }
    return out;
  }

  /** Shows the fleet valve's snapshots from now on. */
  void fleet(Supplier<FleetStatus> valve) {
    this.fleet = valve;
  }

  /** Returns the fleet valve's snapshot; null when the valve is off. */
  FleetStatus fleetStatus() {
    return fleet.get();
  }

  @Override
  public Optional<FleetSample> fleet() {
    FleetStatus f = fleet.get();
    if (f == null) {
      return Optional.empty();
    }
    java.util.Set<IpPrefix> held = new java.util.HashSet<>();
    reconcilers.forEach(r -> held.addAll(r.status().held()));
    return Optional.of(new FleetSample(f.mode() == FleetStatus.Mode.ALONE, f.requests(),
        f.failures(), held));
  }

  @Override
  public Optional<String> checkSpawnFallback() {
    return SpawnMethod.fallback();
  }

  /**
   * Returns the progress of every loop that should make some: enabled services (a disabled
   * one never iterates) and each reconciler, as times of day relative to {@code now}: each
   * loop's age is measured on the monotonic clock, so a step of the wall clock moves every loop
   * with it and makes none look stuck (or alive). Services are those of the inputs, which follow
   * reloads; one whose loop a reload is replacing right now is left out of this look.
   */
  List<LoopProgress> progress(Instant now) {
    long nowNanos = nanoTime.getAsLong();
    List<LoopProgress> out = new ArrayList<>();
    Map<String, ServiceStatus> byName = new HashMap<>();
    statuses.get().forEach(s -> byName.put(s.service(), s));
    List<ServiceConfig> services = inputs.get().services();
    for (ServiceConfig config : services) {
      ServiceStatus status = byName.get(config.name());
      if (!config.checkDisabled() && status != null) {
        out.add(new LoopProgress(config.name(),
            now.minusNanos(nowNanos - status.lastProgressNanos()),
            LoopProgress.allowedGapFor(config.checkInterval(), config.checkTimeout())));
      }
    }
    // A pass takes at most a write, a reconfigure timeout and, since a pass runs its custom
    // commands together, the longest custom command timeout; a minute is far beyond the first two.
    Duration passGap = Duration.ofMinutes(1).plus(services.stream()
        .filter(c -> c.customReconfigureCommand().isPresent())
        .map(ServiceConfig::customBirdReconfigureCmdTimeout)
        .max(Duration::compareTo).orElse(Duration.ZERO));
    for (Reconciler r : reconcilers) {
      String name = reconcilers.size() == 1 ? LoopProgress.RECONCILER
          : LoopProgress.RECONCILER + "-" + r.status().family().label();
      out.add(new LoopProgress(name, now.minusNanos(nowNanos - r.progress(nowNanos)),
          passGap));
    }
    threads.forEach((name, turned) -> out.add(
        new LoopProgress(name, now.minusNanos(nowNanos - turned.getAsLong()), THREAD_GAP)));
    return out;
  }

  /** Returns what the status file shows: loop progress, health per service, BIRD per family. */
  StatusFile.Facts facts() {
    Inputs in = inputs.get();
    List<StatusFile.ServiceLine> svc = in.services().stream()
        .map(s -> new StatusFile.ServiceLine(s.name(), in.health(s.name()).word())).toList();
    List<StatusFile.BirdLine> bird = reconcilers.stream().map(Reconciler::status)
        .map(r -> new StatusFile.BirdLine(r.family().label(),
            r.inSync() ? "in-sync" : r.error().isPresent() ? "failing" : "pending",
            r.error().orElse("")))
        .toList();
    return new StatusFile.Facts(progress(clock.instant()), svc, bird,
        checkSpawnFallback().map(why -> "checks are started through the JDK, at about three"
            + " times the CPU per check: " + why).stream().toList());
  }

  /** Returns each family's reconciler status, IPv4 first. */
  List<ReconcilerStatus> families() {
    return reconcilers.stream().map(Reconciler::status).toList();
  }

  /** Returns what the HTTP API shows, gathered now. */
  ApiSnapshot apiSnapshot(ApiSnapshot.DaemonFacts daemon) {
    long nowNanos = nanoTime.getAsLong();
    return new ApiSnapshot(daemon, inputs.get(), statuses.get(), families(), clock.instant(),
        nowNanos);
  }

  /** Returns true once every reconciler has run its first pass (good or bad). */
  boolean firstPassDone() {
    return reconcilers.stream().allMatch(r -> r.status().passes() > 0);
  }

  /** Returns e.g. "3 services: 2 up, 1 down, 1 drained; IPv4 in sync (2 prefixes)". */
  String summary() {
    Inputs in = inputs.get();
    Map<Health, Integer> counts = new EnumMap<>(Health.class);
    in.services().forEach(s -> counts.merge(in.health(s.name()), 1, Integer::sum));
    long drained = in.services().stream().filter(s -> in.drain(s.name()).isPresent()).count();
    StringBuilder sb = new StringBuilder().append(in.services().size()).append(" services: ");
    List<String> parts = new ArrayList<>();
    counts.forEach((h, n) -> parts.add(n + " " + h.word()));
    if (drained > 0) {
      parts.add(drained + " drained");
    }
    FleetStatus f = fleet.get();
    if (f != null) {
      int held = families().stream().mapToInt(r -> r.held().size()).sum();
      parts.add(f.mode() == FleetStatus.Mode.ALONE ? "fleet valve: deciding alone (etcd away)"
          : held > 0 ? held + " prefixes held by the fleet valve" : "fleet valve " + f.mode()
              .name().toLowerCase(java.util.Locale.ROOT));
    }
    sb.append(parts.isEmpty() ? "none" : String.join(", ", parts));
    for (Reconciler r : reconcilers) {
      ReconcilerStatus st = r.status();
      sb.append("; ").append(st.family().label()).append(' ');
      sb.append(st.inSync() ? "in sync (" + st.desiredPrefixes() + " prefixes)"
          : "retrying: " + st.error().orElse("pending"));
    }
    return sb.toString();
  }
}
