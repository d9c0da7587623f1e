package net.anycast.healthchecker.web;

import net.anycast.healthchecker.fleet.FleetStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import net.anycast.healthchecker.bird.ReconcilerStatus;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.inputs.Inputs;

/**
 * Everything the API shows, gathered at one instant from the daemon's immutable snapshots.
 *
 * @param inputs what the reconcilers decide from: services, health, drains, stopping
 * @param statuses each service loop's last status, by configuration order
 * @param families each address family's reconciler
 * @param now when the snapshot was taken
 * @param nowNanos the same instant on the monotonic clock the reconcilers time their work on
 */
public record ApiSnapshot(DaemonFacts daemon, Inputs inputs, List<ServiceStatus> statuses,
    List<ReconcilerStatus> families, Instant now, long nowNanos) {

  public ApiSnapshot {
    Objects.requireNonNull(daemon, "daemon");
    Objects.requireNonNull(inputs, "inputs");
    statuses = List.copyOf(statuses);
    families = List.copyOf(families);
    Objects.requireNonNull(now, "now");
  }

  /** A snapshot whose monotonic clock reads 0 at {@code now} (tests). */
  public ApiSnapshot(DaemonFacts daemon, Inputs inputs, List<ServiceStatus> statuses,
      List<ReconcilerStatus> families, Instant now) {
    this(daemon, inputs, statuses, families, now, 0);
  }

  /** Returns the time of day of a reading {@code nanos} of the monotonic clock. */
  public Instant wallTime(long nanos) {
    return now.minusNanos(nowNanos - nanos);
  }

  /**
   * Facts about the daemon process.
   *
   * @param configFiles the configuration files read, main file first
   * @param lastReload the last reload; null when there was none
   * @param fleet the fleet valve's snapshot; null when the valve is off
   */
  public record DaemonFacts(String version, long pid, Instant started, List<Path> configFiles,
      ReloadFacts lastReload, FleetStatus fleet) {
    public DaemonFacts {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(started, "started");
      configFiles = List.copyOf(configFiles);
    }

    /** Facts of a daemon without the fleet valve. */
    public DaemonFacts(String version, long pid, Instant started, List<Path> configFiles,
        ReloadFacts lastReload) {
      this(version, pid, started, configFiles, lastReload, null);
    }
  }

  /**
   * The outcome of the last reload.
   *
   * @param errors the configuration errors that kept the old configuration; empty on success
   */
  public record ReloadFacts(Instant at, boolean ok, List<String> errors) {
    public ReloadFacts {
      Objects.requireNonNull(at, "at");
      errors = List.copyOf(errors);
    }
  }
}
