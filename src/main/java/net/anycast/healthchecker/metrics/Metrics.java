package net.anycast.healthchecker.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import net.anycast.healthchecker.health.Health;

/**
 * The registry both exporters serve. Names, labels and meanings of the original's metrics are
 * kept; the ones marked "new" share the prefix.
 */
public final class Metrics {
  static final String PREFIX = "anycast_healthchecker_";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final MetricsSource source;
  private final Supplier<ReloadSample> reload;
  private final String version;
  private final double startEpochSeconds;

  /**
   * @param reload the latest configuration reload
   * @param processStart when the daemon started: the original's {@code _uptime} is this instant in
   *     seconds since the epoch (despite its name)
   */
  public Metrics(MetricsSource source, Supplier<ReloadSample> reload, String version,
      Instant processStart) {
    this.source = source;
    this.reload = reload;
    this.version = version;
    this.startEpochSeconds = processStart.toEpochMilli() / 1000.0;
    registry.register((MultiCollector) this::collect);
  }

  /** Returns the registry, for the HTTP exporter. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Writes one scrape in the Prometheus text format (0.0.4). */
  public void writeText(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
  }

  /** Returns one scrape in the Prometheus text format. */
  public String scrapeText() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeText(out);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private MetricSnapshots collect() {
    List<ServiceSample> services = source.services();
    List<BirdSample> bird = source.bird();
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(serviceGauge("service_state",
        "The status of the service check: 0 = healthy, otherwise the exit code of the failing"
            + " check (1 when the IP prefix is not assigned)",
        services, ServiceSample::lastExitCode));
    out.add(serviceGauge("service_check_duration_milliseconds",
        "Service check duration in milliseconds",
        services, s -> s.lastCheckDuration().toNanos() / 1e6));
    out.add(serviceGauge("service_check_ip_assignment",
        "Service IP assignment check: 0 = not assigned, 1 = assigned",
        services, s -> s.ipAssigned() ? 1 : 0));
    out.add(serviceCounter("service_check_timeout",
        "The number of times a service check timed out", services, ServiceSample::timeouts));
    out.add(serviceGauge("service_check_exitcode", "The exit code of the check command",
        services, ServiceSample::lastExitCode));
    out.add(serviceGauge("service", "The configured service checks", services, s -> 1));
    out.add(gauge("uptime", "Uptime of the process in seconds since the epoch",
        Labels.EMPTY, startEpochSeconds));
    out.add(gauge("state", "The current state of the process: 0 = down, 1 = up", Labels.EMPTY, 1));
    out.add(gauge("version_info", "Version of the software", Labels.of("version", version), 1));
    // New metrics.
    ReloadSample lastReload = reload.get();
    out.add(gauge("config_reload_success",
        "1 when the latest configuration reload applied the files (and before any reload), 0 when"
            + " it failed and the previous configuration still runs", Labels.EMPTY,
        lastReload.success() ? 1 : 0));
    out.add(gauge("config_last_reload_timestamp_seconds",
        "When the latest configuration reload ended, successful or not (before any: when the"
            + " configuration was loaded), in seconds since the epoch", Labels.EMPTY,
        lastReload.at().toEpochMilli() / 1000.0));
    out.add(healthStates(services));
    out.add(serviceCounter("service_state_transitions",
        "Changes of the established state (rise to UP, fall to DOWN)", services,
        ServiceSample::transitions));
    out.add(serviceGauge("service_drained",
        "1 while an operator drain (a spool file for the service or 'all') applies, else 0",
        services, s -> s.drained() ? 1 : 0));
    out.add(serviceCounter("service_check_runs", "Service checks run", services,
        ServiceSample::checkRuns));
    List<CheckSample> checks = source.checks();
    out.add(gaugeOf("check_passed", "1 when the last run of the check passed, else 0 (per check"
        + " kind: exec, http, tcp, dns)", checks, Metrics::checkLabels, c -> c.passed() ? 1 : 0));
    out.add(gaugeOf("check_duration_seconds", "Duration of the last run of the check in seconds",
        checks, Metrics::checkLabels, c -> c.took().toNanos() / 1e9));
    out.add(counterOf("check_runs", "Runs of the check", checks, Metrics::checkLabels,
        CheckSample::runs));
    out.add(counterOf("check_failures", "Runs of the check that did not pass", checks,
        Metrics::checkLabels, CheckSample::failures));
    out.add(counterOf("check_timeouts", "Runs of the check that hit check_timeout", checks,
        Metrics::checkLabels, CheckSample::timeouts));
    List<SlotSample> slots = source.slots();
    out.add(counterOf("check_slots_started", "Slots of the service's loop whose run started",
        slots, Metrics::slotLabels, SlotSample::started));
    out.add(counterOf("check_slots_late", "Slots whose run started more than 100 ms after the"
        + " slot's time", slots, Metrics::slotLabels, SlotSample::late));
    out.add(counterOf("check_slots_skipped", "Slots that passed while the service's previous run"
        + " was still in flight: skipped, not queued", slots, Metrics::slotLabels,
        SlotSample::skipped));
    out.add(counterOf("check_slot_lateness_seconds", "How late the started runs started after"
        + " their slots, summed, in seconds", slots, Metrics::slotLabels,
        s -> s.lateness().toNanos() / 1e9));
    out.add(gauge("check_spawn_fallback", "1 while checks are started through the JDK (three"
        + " execs each) because posix_spawn with pidfds cannot be used, else 0", Labels.EMPTY,
        source.checkSpawnFallback().isPresent() ? 1 : 0));
    out.add(birdGauge("bird_desired_prefixes",
        "IP prefixes the healthy services want announced, dummy excluded", bird,
        BirdSample::desiredPrefixes));
    out.add(birdGauge("bird_applied_prefixes",
        "IP prefixes in the file BIRD last confirmed, dummy excluded", bird,
        BirdSample::appliedPrefixes));
    out.add(birdCounter("bird_reconfigure_attempts", "BIRD reconfigure attempts", bird,
        BirdSample::reconfigureAttempts));
    out.add(birdCounter("bird_reconfigure_failures",
        "BIRD reconfigure attempts BIRD did not confirm", bird, BirdSample::reconfigureFailures));
    out.add(birdGauge("bird_reconfigure_duration_seconds",
        "Duration of the last BIRD reconfigure in seconds", bird,
        b -> b.lastReconfigureDuration().toNanos() / 1e9));
    source.fleet().ifPresent(f -> {
      out.add(serviceGauge("fleet_held", "1 while the fleet valve keeps the prefix announced"
          + " although the service is down (too few other nodes announce it), else 0",
          services, s -> s.health() == Health.DOWN && f.held().contains(s.ipPrefix()) ? 1 : 0));
      out.add(gauge("fleet_deciding_alone", "1 while etcd has been unreachable for longer than"
          + " fleet_lease_ttl and health withdraws without asking the fleet, else 0",
          Labels.EMPTY, f.alone() ? 1 : 0));
      out.add(counterOf("fleet_etcd_requests", "Requests sent to etcd by the fleet valve",
          List.of(f), x -> Labels.EMPTY, FleetSample::etcdRequests));
      out.add(counterOf("fleet_etcd_failures", "etcd calls of the fleet valve that failed",
          List.of(f), x -> Labels.EMPTY, FleetSample::etcdFailures));
    });
    return new MetricSnapshots(out);
  }

  private static Labels serviceLabels(ServiceSample s) {
    return Labels.of("ip_prefix", s.ipPrefix().toString(), "service_name", s.service());
  }

  private static Labels slotLabels(SlotSample s) {
    return Labels.of("ip_prefix", s.ipPrefix().toString(), "service_name", s.service());
  }

  private static Labels checkLabels(CheckSample c) {
    return Labels.of("kind", c.kind(), "service_name", c.service());
  }

  private static Labels birdLabels(BirdSample b) {
    return Labels.of("ip_version", Integer.toString(b.family().version()));
  }

  private static GaugeSnapshot gauge(String name, String help, Labels labels, double value) {
    return GaugeSnapshot.builder().name(PREFIX + name).help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build())
        .build();
  }

  private static GaugeSnapshot serviceGauge(
      String name, String help, List<ServiceSample> services, ToDoubleFunction<ServiceSample> f) {
    return gaugeOf(name, help, services, Metrics::serviceLabels, f);
  }

  private static CounterSnapshot serviceCounter(
      String name, String help, List<ServiceSample> services, ToDoubleFunction<ServiceSample> f) {
    return counterOf(name, help, services, Metrics::serviceLabels, f);
  }

  private static GaugeSnapshot birdGauge(
      String name, String help, List<BirdSample> bird, ToDoubleFunction<BirdSample> f) {
    return gaugeOf(name, help, bird, Metrics::birdLabels, f);
  }

  private static CounterSnapshot birdCounter(
      String name, String help, List<BirdSample> bird, ToDoubleFunction<BirdSample> f) {
    return counterOf(name, help, bird, Metrics::birdLabels, f);
  }

  /** Returns a gauge with one data point per sample. */
  private static <T> GaugeSnapshot gaugeOf(String name, String help, List<T> samples,
      Function<T, Labels> labels, ToDoubleFunction<T> value) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(PREFIX + name).help(help);
    for (T s : samples) {
      b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels.apply(s))
          .value(value.applyAsDouble(s)).build());
    }
    return b.build();
  }

  /** Returns a counter with one data point per sample. */
  private static <T> CounterSnapshot counterOf(String name, String help, List<T> samples,
      Function<T, Labels> labels, ToDoubleFunction<T> value) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(PREFIX + name).help(help);
    for (T s : samples) {
      b.dataPoint(CounterDataPointSnapshot.builder().labels(labels.apply(s))
          .value(value.applyAsDouble(s)).build());
    }
    return b.build();
  }

  /** One series per service and possible health, 1 for the current one (a state set). */
  private static GaugeSnapshot healthStates(List<ServiceSample> services) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(PREFIX + "service_health")
        .help("The established state of the service: 1 for the current one of unknown, up, down,"
            + " disabled");
    for (ServiceSample s : services) {
      for (Health h : Health.values()) {
        b.dataPoint(GaugeDataPointSnapshot.builder()
            .labels(serviceLabels(s).add("health", h.word()))
            .value(s.health() == h ? 1 : 0).build());
      }
    }
    return b.build();
  }
}
