package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.net.IpPrefix;

/** Service configurations for tests, with the original's defaults. */
public final class TestServices {
  private TestServices() {}

  /** Returns an enabled service: rise 2, fall 2, interval 10 s, timeout 2 s, on lo. */
  public static ServiceConfig service(String name, String checkCmd, String... prefixes) {
    return new ServiceConfig(name, checkCmd, Duration.ofSeconds(10), Duration.ofSeconds(2), 2, 2,
        false, OnDisabled.WITHDRAW, "lo", false, parse(prefixes), null, Duration.ofSeconds(2),
        OnDrain.WITHDRAW);
  }

  /** Returns a copy with other rise/fall. */
  public static ServiceConfig withRiseFall(ServiceConfig s, int rise, int fall) {
    return new ServiceConfig(s.name(), s.checks(), s.checkInterval(), s.checkTimeout(), rise,
        fall, s.checkDisabled(), s.onDisabled(), s.interfaceName(), s.ipCheckDisabled(),
        s.prefixes(), null, s.customBirdReconfigureCmdTimeout(), s.onDrain());
  }

  /** Returns a copy with another interval and timeout. */
  public static ServiceConfig withTiming(ServiceConfig s, Duration interval, Duration timeout) {
    return new ServiceConfig(s.name(), s.checks(), interval, timeout, s.checkRise(),
        s.checkFail(), s.checkDisabled(), s.onDisabled(), s.interfaceName(), s.ipCheckDisabled(),
        s.prefixes(), null, s.customBirdReconfigureCmdTimeout(), s.onDrain());
  }

  /** Returns a copy on another interface, with the IP check on or off. */
  public static ServiceConfig withInterface(ServiceConfig s, String iface, boolean ipCheckDisabled) {
    return new ServiceConfig(s.name(), s.checks(), s.checkInterval(), s.checkTimeout(),
        s.checkRise(), s.checkFail(), s.checkDisabled(), s.onDisabled(), iface, ipCheckDisabled,
        s.prefixes(), null, s.customBirdReconfigureCmdTimeout(), s.onDrain());
  }

  /** Returns a disabled copy asking for {@code mode}. */
  public static ServiceConfig disabled(ServiceConfig s, OnDisabled mode) {
    return new ServiceConfig(s.name(), s.checks(), s.checkInterval(), s.checkTimeout(),
        s.checkRise(), s.checkFail(), true, mode, s.interfaceName(), s.ipCheckDisabled(),
        s.prefixes(), null, s.customBirdReconfigureCmdTimeout(), s.onDrain());
  }

  private static List<IpPrefix> parse(String... prefixes) {
    return Arrays.stream(prefixes).map(IpPrefix::parse).toList();
  }
}
