package net.anycast.healthchecker.metrics;

import java.time.Duration;
import java.util.Objects;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * What the metrics show of one service at one moment.
 *
 * @param lastExitCode 0 when the last check passed, else the failing check's exit code (126 on a
 *     timeout, as the original reports it), 1 when the IP is not assigned
 * @param lastCheckDuration how long the last check command ran
 * @param timeouts checks that timed out since start
 * @param checkRuns checks run since start
 * @param transitions changes of the established state (rise or fall) since start
 * @param drained an operator drain (spool file) applies to the service
 */
public record ServiceSample(
    String service,
    IpPrefix ipPrefix,
    Health health,
    int lastExitCode,
    Duration lastCheckDuration,
    boolean ipAssigned,
    long timeouts,
    long checkRuns,
    long transitions,
    boolean drained) {

  public ServiceSample {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(ipPrefix, "ipPrefix");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(lastCheckDuration, "lastCheckDuration");
  }
}
