package net.anycast.healthchecker.bird;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.net.IpFamily;

/**
 * An immutable snapshot of one family's reconciler, for metrics, the status API and a
 * watchdog.
 *
 * @param desiredPrefixes prefixes the file should announce now (dummy excluded)
 * @param appliedPrefixes prefixes of the file BIRD last confirmed loading (dummy excluded);
 *     -1 until BIRD first confirms
 * @param inSync the file says the desired set, BIRD confirmed it and custom commands ran
 * @param passes passes run (one pass handles every change seen when it starts)
 * @param fileWrites times the file was replaced
 * @param writeFailures failed writes of the file
 * @param reconfigures reconfigure attempts (family command or socket)
 * @param reconfigureFailures failed reconfigure attempts
 * @param customCommandFailures failed {@code custom_bird_reconfigure_cmd} runs
 * @param consecutiveFailures failed passes since the last good one; 0 when healthy
 * @param lastReconfigureDuration how long the last reconfigure attempt took
 * @param lastError the last failure's message, empty when none since the last good pass
 * @param appliedInputs {@link net.anycast.healthchecker.inputs.Inputs#version} of the inputs
 *     the last good pass applied; -1 before the first
 * @param lastProgressNanos when the last pass ended (good or bad), monotonic; a watchdog sees a
 *     stuck thread
 * @param desired the prefixes the file should announce now, sorted (dummy excluded)
 * @param applied the prefixes BIRD last confirmed loading, sorted; empty until then
 * @param lastReconfigureNanos when the last reconfigure attempt started, monotonic; meaningless
 *     while {@code reconfigures} is 0
 * @param lastReconfigureError why the last reconfigure attempt failed; empty when it was
 *     confirmed (or none was made)
 * @param held prefixes the latest pass kept announced for the fleet valve although their
 *     service is down, sorted
 */
public record ReconcilerStatus(
    IpFamily family,
    int desiredPrefixes,
    int appliedPrefixes,
    boolean inSync,
    long passes,
    long fileWrites,
    long writeFailures,
    long reconfigures,
    long reconfigureFailures,
    long customCommandFailures,
    int consecutiveFailures,
    Duration lastReconfigureDuration,
    String lastError,
    long appliedInputs,
    long lastProgressNanos,
    List<IpPrefix> desired,
    List<IpPrefix> applied,
    long lastReconfigureNanos,
    String lastReconfigureError,
    List<IpPrefix> held) {

  public ReconcilerStatus {
    held = List.copyOf(held);
    desired = List.copyOf(desired);
    applied = List.copyOf(applied);
  }

  static ReconcilerStatus initial(IpFamily family, long nowNanos) {
    return new ReconcilerStatus(family, 0, -1, false, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO, "", -1,
        nowNanos, List.of(), List.of(), 0, "", List.of());
  }

  /** Returns true when the last good pass applied inputs of {@code version} or later. */
  public boolean applied(long version) {
    return inSync && appliedInputs >= version;
  }

  /** Returns the last failure's message when the reconciler is failing. */
  public Optional<String> error() {
    return lastError.isEmpty() ? Optional.empty() : Optional.of(lastError);
  }
}
