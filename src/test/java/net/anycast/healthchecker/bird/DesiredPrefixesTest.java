package net.anycast.healthchecker.bird;

import static net.anycast.healthchecker.bird.TestServices.p;
import static net.anycast.healthchecker.bird.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Test;

class DesiredPrefixesTest {
  private static final List<ServiceConfig> SERVICES = List.of(
      service("up", "10.0.0.1", "10.0.0.2", "2001:db8::10"),
      service("down", "10.0.0.3"),
      service("unknown", "10.0.0.4", "10.0.0.5"),
      service("adv", OnDisabled.ADVERTISE, null, "10.0.0.6"),
      service("wd", OnDisabled.WITHDRAW, null, "10.0.0.7"));
  private static final Map<String, Health> HEALTH = Map.of("up", Health.UP, "down", Health.DOWN,
      "adv", Health.DISABLED, "wd", Health.DISABLED);

  @Test
  void compute_announcesUpAndAdvertisedDisabled_keepsUnknownAsAtStartup() {
    DesiredPrefixes d = DesiredPrefixes.compute(IpFamily.IPV4, SERVICES, HEALTH,
        Set.of(p("10.0.0.3"), p("10.0.0.5"), p("10.0.0.7"), p("10.9.9.9")), false);
    assertThat(d.prefixes()).containsExactly(p("10.0.0.1"), p("10.0.0.2"), p("10.0.0.5"), p("10.0.0.6"));
    assertThat(d.announced()).containsExactlyInAnyOrderEntriesOf(
        Map.of("up", true, "down", false, "adv", true, "wd", false));
  }

  @Test
  void compute_otherFamily_onlyItsPrefixes() {
    DesiredPrefixes d = DesiredPrefixes.compute(IpFamily.IPV6, SERVICES, HEALTH, Set.of(), false);
    assertThat(d.prefixes()).containsExactly(p("2001:db8::10"));
    assertThat(d.announced()).containsOnlyKeys("up");
  }

  @Test
  void compute_orphansFromStartup_stayWhileEveryServiceIsUnknown_unlessPurged() {
    Set<IpPrefix> s = Set.of(p("10.9.9.9"), p("10.0.0.4"));
    assertThat(DesiredPrefixes.compute(IpFamily.IPV4, SERVICES, Map.of(), s, false).prefixes())
        .containsExactly(p("10.0.0.4"), p("10.9.9.9"));
    assertThat(DesiredPrefixes.compute(IpFamily.IPV4, SERVICES, Map.of(), s, true).prefixes())
        .containsExactly(p("10.0.0.4"));
    assertThat(DesiredPrefixes.compute(IpFamily.IPV4, SERVICES, Map.of("down", Health.DOWN), s, false)
        .prefixes()).containsExactly(p("10.0.0.4"));
  }
}
