package net.anycast.healthchecker.health;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * An immutable snapshot of one service's loop, for metrics and the watchdog.
 *
 * @param service the section name
 * @param prefixes the service's prefixes, announced and withdrawn together
 * @param health the established health
 * @param lastExitCode 0 when the last iteration passed; otherwise the check's exit code, 126 on
 *     a timeout (like the original), 127 when the command could not be started, 1 when a
 *     prefix was not assigned (the original's {@code service_state} metric)
 * @param lastCheckDuration how long the last check command ran; zero before the first
 * @param ipAssigned false when the last iteration found a prefix not assigned
 * @param timeouts check runs that hit {@code check_timeout}
 * @param checkRuns check commands run
 * @param transitions changes of the established health (UNKNOWN to UP counts; the start of a
 *     disabled service does not)
 * @param lastProgressNanos when the loop last completed an iteration (or started), on the
 *     monotonic clock ({@link System#nanoTime()}): a step of the wall clock must not make a loop
 *     look stuck. A loop that stops advancing it is stuck. DISABLED services never iterate, so
 *     never advance it.
 */
public record ServiceStatus(
    String service,
    List<IpPrefix> prefixes,
    Health health,
    int lastExitCode,
    Duration lastCheckDuration,
    boolean ipAssigned,
    long timeouts,
    long checkRuns,
    long transitions,
    long lastProgressNanos) {

  public ServiceStatus {
    Objects.requireNonNull(service, "service");
    prefixes = List.copyOf(prefixes);
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(lastCheckDuration, "lastCheckDuration");
  }

  /** Returns the status of a service whose loop has just been created. */
  public static ServiceStatus initial(String service, List<IpPrefix> prefixes, long nowNanos) {
    return new ServiceStatus(
        service, prefixes, Health.UNKNOWN, 0, Duration.ZERO, true, 0, 0, 0, nowNanos);
  }
}
