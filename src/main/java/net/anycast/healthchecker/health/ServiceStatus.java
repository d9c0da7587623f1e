package net.anycast.healthchecker.health;

import java.time.Duration;
import java.time.Instant;
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
 * @param okStreak passed runs in a row (rise progress)
 * @param failStreak failed runs in a row (fall progress)
 * @param lastCheck the last iteration; null before the first
 * @param lastChange when the established health last changed (the loop's start before that)
 * @param checks each check of the service as its last run left it, in configuration order
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
    long lastProgressNanos,
    int okStreak,
    int failStreak,
    LastCheck lastCheck,
    Instant lastChange,
    List<CheckState> checks) {

  public ServiceStatus {
    Objects.requireNonNull(service, "service");
    prefixes = List.copyOf(prefixes);
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(lastCheckDuration, "lastCheckDuration");
    Objects.requireNonNull(lastChange, "lastChange");
    checks = List.copyOf(checks);
  }

  /** Returns the status of a service whose loop has just been created. */
  public static ServiceStatus initial(String service, List<IpPrefix> prefixes, Instant now,
      long nowNanos, List<CheckState> checks) {
    return new ServiceStatus(service, prefixes, Health.UNKNOWN, 0, Duration.ZERO, true, 0, 0, 0,
        nowNanos, 0, 0, null, now, checks);
  }

  /** Returns a copy with other prefixes (a reload moved the service's routes). */
  public ServiceStatus withPrefixes(List<IpPrefix> next) {
    return new ServiceStatus(service, next, health, lastExitCode, lastCheckDuration,
        ipAssigned, timeouts, checkRuns, transitions, lastProgressNanos, okStreak, failStreak,
        lastCheck, lastChange, checks);
  }

  /** Returns a copy with another health. */
  public ServiceStatus withHealth(Health next) {
    return new ServiceStatus(service, prefixes, next, lastExitCode, lastCheckDuration,
        ipAssigned, timeouts, checkRuns, transitions, lastProgressNanos, okStreak, failStreak,
        lastCheck, lastChange, checks);
  }
}
