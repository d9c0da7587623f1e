package net.anycast.healthchecker.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * One service check: a section other than {@code [daemon]} of the configuration.
 *
 * @param name the section name; used in logs (the original's threadName) and metrics
 * @param checks {@code check_cmd} and the built-in checks, with {@code check_mode}
 * @param prefixes {@code ip_prefix}: one or more prefixes, announced and withdrawn together
 * @param customBirdReconfigureCmd {@code custom_bird_reconfigure_cmd}, or null when unset
 * @param onDrain {@code on_drain} (new): what a drain of this service does to its routes
 */
public record ServiceConfig(
    String name,
    CheckSet checks,
    Duration checkInterval,
    Duration checkTimeout,
    int checkRise,
    int checkFail,
    boolean checkDisabled,
    OnDisabled onDisabled,
    String interfaceName,
    boolean ipCheckDisabled,
    List<IpPrefix> prefixes,
    String customBirdReconfigureCmd,
    Duration customBirdReconfigureCmdTimeout,
    OnDrain onDrain) {

  public ServiceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(checks, "checks");
    Objects.requireNonNull(onDisabled, "onDisabled");
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(onDrain, "onDrain");
    prefixes = List.copyOf(prefixes);
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("a service needs at least one prefix");
    }
    if (checkRise < 1 || checkFail < 1) {
      throw new IllegalArgumentException("check_rise and check_fail must be at least 1");
    }
    if (checkInterval.isNegative() || checkInterval.isZero() || checkTimeout.isNegative()) {
      throw new IllegalArgumentException("check_interval must be > 0 and check_timeout >= 0");
    }
  }

  /** Returns a service whose only check is {@code checkCmd}, as in the original. */
  public ServiceConfig(String name, String checkCmd, Duration checkInterval,
      Duration checkTimeout, int checkRise, int checkFail, boolean checkDisabled,
      OnDisabled onDisabled, String interfaceName, boolean ipCheckDisabled,
      List<IpPrefix> prefixes, String customBirdReconfigureCmd,
      Duration customBirdReconfigureCmdTimeout, OnDrain onDrain) {
    this(name, CheckSet.exec(checkCmd), checkInterval, checkTimeout, checkRise, checkFail,
        checkDisabled, onDisabled, interfaceName, ipCheckDisabled, prefixes,
        customBirdReconfigureCmd, customBirdReconfigureCmdTimeout, onDrain);
  }

  /** Returns {@code check_cmd} when the service has one. */
  public Optional<String> checkCmd() {
    return checks.checkCmd();
  }

  /** Returns the custom reconfigure command when one is configured. */
  public Optional<String> customReconfigureCommand() {
    return Optional.ofNullable(customBirdReconfigureCmd);
  }
}
