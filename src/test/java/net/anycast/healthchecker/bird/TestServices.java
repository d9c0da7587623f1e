package net.anycast.healthchecker.bird;

import java.time.Duration;
import java.util.List;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.net.IpPrefix;

/** Builds ServiceConfig values for tests. */
final class TestServices {
  private TestServices() {}

  static ServiceConfig service(String name, String... prefixes) {
    return service(name, OnDisabled.WITHDRAW, null, prefixes);
  }

  static ServiceConfig service(String name, OnDisabled onDisabled, String customCmd,
      String... prefixes) {
    return new ServiceConfig(name, "/bin/true", Duration.ofSeconds(10), Duration.ofSeconds(2), 2,
        2, false, onDisabled, "lo", true,
        List.of(prefixes).stream().map(IpPrefix::parse).toList(), customCmd,
        Duration.ofSeconds(2), OnDrain.WITHDRAW);
  }

  static ServiceConfig withOnDrain(ServiceConfig s, OnDrain onDrain) {
    return new ServiceConfig(s.name(), s.checks(), s.checkInterval(), s.checkTimeout(),
        s.checkRise(), s.checkFail(), s.checkDisabled(), s.onDisabled(), s.interfaceName(),
        s.ipCheckDisabled(), s.prefixes(), s.customBirdReconfigureCmd(),
        s.customBirdReconfigureCmdTimeout(), onDrain);
  }

  static IpPrefix p(String s) {
    return IpPrefix.parse(s);
  }
}
