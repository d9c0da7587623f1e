package net.anycast.healthchecker.bird;

import static net.anycast.healthchecker.bird.TestServices.p;
import static net.anycast.healthchecker.bird.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.OnShutdown;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DesiredPrefixesTest {
  private static final List<ServiceConfig> SERVICES = List.of(
      service("up", "10.0.0.1", "10.0.0.2", "2001:db8::10"),
      service("down", "10.0.0.3"),
      service("unknown", "10.0.0.4", "10.0.0.5"),
      service("adv", OnDisabled.ADVERTISE, null, "10.0.0.6"),
      service("wd", OnDisabled.WITHDRAW, null, "10.0.0.7"));
  private static final Map<String, Health> HEALTH = Map.of("up", Health.UP, "down", Health.DOWN,
      "adv", Health.DISABLED, "wd", Health.DISABLED);

  private static Inputs inputs(List<ServiceConfig> services, Map<String, Health> health) {
    Inputs in = Inputs.of(services);
    for (Map.Entry<String, Health> e : health.entrySet()) {
      in = in.withHealth(e.getKey(), e.getValue());
    }
    return in;
  }

  /** Returns what the start-up file {@code inFile} keeps with {@link #SERVICES}. */
  private static KeptPrefixes kept(Set<IpPrefix> inFile) {
    return KeptPrefixes.atStartup(inFile, SERVICES);
  }

  static Drains drains(String... spoolNames) {
    return Drains.of(Arrays.stream(spoolNames).map(n -> Drain.of(n, "test")).toList());
  }

  @Test
  void compute_announcesUpAndAdvertisedDisabled_keepsUnknownAsAtStartup() {
    DesiredPrefixes d = DesiredPrefixes.compute(IpFamily.IPV4, inputs(SERVICES, HEALTH),
        kept(Set.of(p("10.0.0.3"), p("10.0.0.5"), p("10.0.0.7"), p("10.9.9.9"))), false);
    assertThat(d.prefixes()).containsExactly(p("10.0.0.1"), p("10.0.0.2"), p("10.0.0.5"), p("10.0.0.6"));
    assertThat(d.announced()).containsExactlyInAnyOrderEntriesOf(
        Map.of("up", true, "down", false, "adv", true, "wd", false));
  }

  @Test
  void compute_otherFamily_onlyItsPrefixes() {
    DesiredPrefixes d = DesiredPrefixes.compute(IpFamily.IPV6, inputs(SERVICES, HEALTH),
        kept(Set.of()), false);
    assertThat(d.prefixes()).containsExactly(p("2001:db8::10"));
    assertThat(d.announced()).containsOnlyKeys("up");
  }

  @Test
  void compute_orphansFromStartup_stayWhileEveryServiceIsUnknown_unlessPurged() {
    KeptPrefixes s = kept(Set.of(p("10.9.9.9"), p("10.0.0.4")));
    Inputs unknown = inputs(SERVICES, Map.of());
    assertThat(DesiredPrefixes.compute(IpFamily.IPV4, unknown, s, false).prefixes())
        .containsExactly(p("10.0.0.4"), p("10.9.9.9"));
    assertThat(DesiredPrefixes.compute(IpFamily.IPV4, unknown, s, true).prefixes())
        .containsExactly(p("10.0.0.4"));
    assertThat(DesiredPrefixes.compute(IpFamily.IPV4, inputs(SERVICES, Map.of("down", Health.DOWN)),
        s, false).prefixes()).containsExactly(p("10.0.0.4"));
  }

  @Test
  void compute_stoppingWithWithdraw_withdrawsOrphansToo() {
    KeptPrefixes s = kept(Set.of(p("10.9.9.9"), p("10.0.0.4")));
    Inputs stopping = inputs(SERVICES, Map.of()).stopping(OnShutdown.WITHDRAW);
    assertThat(DesiredPrefixes.compute(IpFamily.IPV4, stopping, s, false).prefixes()).isEmpty();
  }

  /**
   * One service (prefix 10.0.0.1, which the file had at start-up) under every combination that
   * matters: its health, on_disabled, a drain (none, its own file, a port file, all), on_drain,
   * and the daemon's stop (running, stopping with keep, stopping with withdraw). The result is
   * whether the prefix is in the file and what the service asks its custom command for.
   */
  @ParameterizedTest(name = "{0} on_disabled={1} drain={2} on_drain={3} stop={4} -> {5}")
  @CsvSource(delimiter = '|', textBlock = """
      # health | on_disabled | drain | on_drain | stop     | file has it | announced
      UP       | withdraw    | -     | withdraw | running  | yes | true
      DOWN     | withdraw    | -     | withdraw | running  | no  | false
      UNKNOWN  | withdraw    | -     | withdraw | running  | yes | -
      DISABLED | withdraw    | -     | withdraw | running  | no  | false
      DISABLED | advertise   | -     | withdraw | running  | yes | true
      UP       | withdraw    | svc   | withdraw | running  | no  | false
      UP       | withdraw    | svc:53| withdraw | running  | no  | false
      UP       | withdraw    | all   | withdraw | running  | no  | false
      UP       | withdraw    | other | withdraw | running  | yes | true
      UNKNOWN  | withdraw    | svc   | withdraw | running  | no  | false
      DOWN     | withdraw    | svc   | withdraw | running  | no  | false
      DISABLED | advertise   | svc   | withdraw | running  | no  | false
      UP       | withdraw    | svc   | keep     | running  | yes | true
      DOWN     | withdraw    | svc   | keep     | running  | no  | false
      UNKNOWN  | withdraw    | all   | keep     | running  | yes | -
      DISABLED | advertise   | all   | keep     | running  | yes | true
      UP       | withdraw    | -     | withdraw | keep     | yes | true
      DOWN     | withdraw    | -     | withdraw | keep     | no  | false
      UNKNOWN  | withdraw    | -     | withdraw | keep     | yes | -
      UP       | withdraw    | svc   | withdraw | keep     | no  | false
      UP       | withdraw    | -     | withdraw | withdraw | no  | false
      UNKNOWN  | withdraw    | -     | withdraw | withdraw | no  | false
      DISABLED | advertise   | -     | withdraw | withdraw | no  | false
      UP       | withdraw    | svc   | keep     | withdraw | no  | false
      """)
  void compute_table(Health health, String onDisabled, String drain, String onDrain, String stop,
      String inFile, String announced) {
    ServiceConfig svc = TestServices.withOnDrain(
        service("svc", OnDisabled.valueOf(onDisabled.toUpperCase()), null, "10.0.0.1"),
        OnDrain.valueOf(onDrain.toUpperCase()));
    ServiceConfig other = service("other", "10.0.0.9");
    Inputs in = inputs(List.of(svc, other), Map.of("svc", health, "other", Health.DOWN));
    in = in.withDrains(drain.equals("-") ? Drains.none() : drains(drain));
    if (!stop.equals("running")) {
      in = in.stopping(OnShutdown.valueOf(stop.toUpperCase()));
    }
    DesiredPrefixes d = DesiredPrefixes.compute(IpFamily.IPV4, in,
        KeptPrefixes.atStartup(Set.of(p("10.0.0.1")), in.services()), false);
    assertThat(d.prefixes().contains(p("10.0.0.1"))).isEqualTo(inFile.equals("yes"));
    if (announced.equals("-")) {
      assertThat(d.announced()).doesNotContainKey("svc");
    } else {
      assertThat(d.announced()).containsEntry("svc", Boolean.parseBoolean(announced));
    }
  }
}
