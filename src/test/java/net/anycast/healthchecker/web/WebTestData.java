package net.anycast.healthchecker.web;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.anycast.healthchecker.bird.ReconcilerStatus;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.health.LastCheck;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/** Real configuration and status values for the web tests. */
final class WebTestData {
  static final Instant STARTED = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private WebTestData() {}

  static ServiceConfig service(String name, String... prefixes) {
    return service(name, OnDrain.WITHDRAW, prefixes);
  }

  static ServiceConfig service(String name, OnDrain onDrain, String... prefixes) {
    return new ServiceConfig(name, "/bin/true", Duration.ofSeconds(10), Duration.ofSeconds(2), 3,
        2, false, OnDisabled.WITHDRAW, "lo", true,
        List.of(prefixes).stream().map(IpPrefix::parse).toList(), null, Duration.ofSeconds(2),
        onDrain);
  }

  /** A loop's status: established health, streaks and (optionally) its last check. */
  static ServiceStatus status(ServiceConfig s, Health health, int okStreak, int failStreak,
      LastCheck last, Instant lastChange) {
    return new ServiceStatus(s.name(), s.prefixes(), health, last == null ? 0 : last.exitCode(),
        last == null ? Duration.ZERO : last.took(), true, 0, last == null ? 0 : 5, 1, 0,
        okStreak, failStreak, last, lastChange, List.of());
  }

  /** A reconciler that last reconfigured at {@code at} (null: never), failing when error set. */
  static ReconcilerStatus family(IpFamily family, List<String> desired, List<String> applied,
      boolean inSync, long reconfigures, Instant at, String error) {
    List<IpPrefix> d = desired.stream().map(IpPrefix::parse).toList();
    List<IpPrefix> a = applied.stream().map(IpPrefix::parse).toList();
    return new ReconcilerStatus(family, d.size(), a.size(), inSync, 3, 2, 0, reconfigures,
        error.isEmpty() ? 0 : 1, 0, error.isEmpty() ? 0 : 1, Duration.ofMillis(12), error, 1,
        0, d, a, at == null ? 0 : nanosAt(at), error, List.of());
  }

  /** Returns {@code at} on the monotonic clock of {@link #snapshot}, which reads 0 at NOW. */
  static long nanosAt(Instant at) {
    return Duration.between(NOW, at).toNanos();
  }

  static ApiSnapshot.DaemonFacts facts() {
    return new ApiSnapshot.DaemonFacts("1.2.3-test", 4242, STARTED,
        List.of(Path.of("/etc/ahc/daemon.conf"), Path.of("/etc/ahc/conf.d/a.conf")), null);
  }

  static ApiSnapshot snapshot(Inputs inputs, List<ServiceStatus> statuses,
      List<ReconcilerStatus> families) {
    return new ApiSnapshot(facts(), inputs, statuses, families, NOW);
  }

  static Inputs inputs(ServiceConfig... services) {
    return Inputs.of(List.of(services));
  }
}
