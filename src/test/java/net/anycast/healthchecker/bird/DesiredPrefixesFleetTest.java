package net.anycast.healthchecker.bird;

import static net.anycast.healthchecker.bird.TestServices.p;
import static net.anycast.healthchecker.bird.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.OnShutdown;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.FleetGate;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link DesiredPrefixes} with the fleet valve's gate: which withdrawals it holds (only those
 * that health alone asks for, of prefixes the file announces now) and which it never holds.
 */
class DesiredPrefixesFleetTest {
  private static final IpPrefix PREFIX = p("10.0.0.1");

  private static FleetGate gate(String name) {
    return switch (name) {
      case "off" -> FleetGate.OFF;
      case "guarding" -> FleetGate.GUARDING;
      case "permitted" -> FleetGate.GUARDING.permit(PREFIX);
      case "other" -> FleetGate.GUARDING.permit(p("10.0.0.9"));
      case "lapsed" -> FleetGate.GUARDING.permit(PREFIX).guarding(false);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * One service (10.0.0.1, on_drain as given) beside another that is UP. gate: off (no valve or
   * etcd lost), guarding (no permit), permitted (a permit for 10.0.0.1), other (a permit for
   * another prefix), lapsed (a permit, but not guarding). current: whether the file announces
   * the prefix now. The result: in the file, held, and what the custom command is told.
   */
  @ParameterizedTest(name = "[{index}] gate={0} {1} on_disabled={2} drain={3}/{4} stop={5}"
      + " current={6} -> file={7} held={8} announced={9}")
  @CsvSource(delimiter = '|', textBlock = """
      # gate    | health   | on_disabled | drain | on_drain | stop     | current | file | held | announced
      # health withdraws: the valve decides
      off       | DOWN     | withdraw    | -     | withdraw | running  | yes     | no   | no   | false
      lapsed    | DOWN     | withdraw    | -     | withdraw | running  | yes     | no   | no   | false
      guarding  | DOWN     | withdraw    | -     | withdraw | running  | yes     | yes  | yes  | true
      other     | DOWN     | withdraw    | -     | withdraw | running  | yes     | yes  | yes  | true
      guarding  | DOWN     | withdraw    | -     | withdraw | running  | no      | no   | no   | false
      permitted | DOWN     | withdraw    | -     | withdraw | running  | yes     | no   | no   | false
      permitted | DOWN     | withdraw    | -     | withdraw | running  | no      | no   | no   | false
      # a drain that keeps does not make the withdrawal deliberate
      guarding  | DOWN     | withdraw    | svc   | keep     | running  | yes     | yes  | yes  | true
      # a stop that keeps routes: health still withdraws, so still held
      guarding  | DOWN     | withdraw    | -     | withdraw | keep     | yes     | yes  | yes  | true
      # deliberate withdrawals are never held
      guarding  | DOWN     | withdraw    | svc   | withdraw | running  | yes     | no   | no   | false
      guarding  | UP       | withdraw    | svc   | withdraw | running  | yes     | no   | no   | false
      guarding  | UP       | withdraw    | all   | withdraw | running  | yes     | no   | no   | false
      guarding  | UNKNOWN  | withdraw    | svc   | withdraw | running  | yes     | no   | no   | false
      guarding  | DISABLED | withdraw    | -     | withdraw | running  | yes     | no   | no   | false
      guarding  | DOWN     | withdraw    | -     | withdraw | withdraw | yes     | no   | no   | false
      guarding  | UP       | withdraw    | -     | withdraw | withdraw | yes     | no   | no   | false
      # nothing to hold: the gate changes nothing
      guarding  | UP       | withdraw    | -     | withdraw | running  | yes     | yes  | no   | true
      guarding  | UP       | withdraw    | -     | withdraw | running  | no      | yes  | no   | true
      guarding  | DISABLED | advertise   | -     | withdraw | running  | no      | yes  | no   | true
      guarding  | UNKNOWN  | withdraw    | -     | withdraw | running  | yes     | yes  | no   | -
      guarding  | UNKNOWN  | withdraw    | -     | withdraw | running  | no      | yes  | no   | -
      """)
  void compute_withTheFleetGate(String gate, Health health, String onDisabled, String drain,
      String onDrain, String stop, String current, String inFile, String held,
      String announced) {
    ServiceConfig svc = TestServices.withOnDrain(
        service("svc", OnDisabled.valueOf(onDisabled.toUpperCase()), "/bin/true", "10.0.0.1"),
        OnDrain.valueOf(onDrain.toUpperCase()));
    ServiceConfig other = service("other", "10.0.0.9");
    Inputs in = Inputs.of(List.of(svc, other)).withHealth("svc", health)
        .withHealth("other", Health.UP)
        .withDrains(drain.equals("-") ? Drains.none() : DesiredPrefixesTest.drains(drain))
        .withFleet(gate(gate));
    if (!stop.equals("running")) {
      in = in.stopping(OnShutdown.valueOf(stop.toUpperCase()));
    }
    Set<IpPrefix> now = current.equals("yes") ? Set.of(PREFIX, p("10.0.0.9")) : Set.of(p("10.0.0.9"));

    // The start-up file had the prefix: an UNKNOWN service keeps it.
    DesiredPrefixes d = DesiredPrefixes.compute(IpFamily.IPV4, in,
        KeptPrefixes.atStartup(Set.of(PREFIX), in.services()), false, now);

    assertThat(d.prefixes().contains(PREFIX)).as("in the file").isEqualTo(inFile.equals("yes"));
    assertThat(d.held().contains(PREFIX)).as("held").isEqualTo(held.equals("yes"));
    if (announced.equals("-")) {
      assertThat(d.announced()).doesNotContainKey("svc");
    } else {
      assertThat(d.announced()).containsEntry("svc", Boolean.parseBoolean(announced));
    }
  }

  @Test
  void compute_heldOnlyPrefixesThatAreAnnouncedAndNotPermitted() {
    ServiceConfig svc = service("svc", OnDisabled.WITHDRAW, "/bin/true", "10.0.0.1", "10.0.0.2",
        "10.0.0.3", "2001:db8::1");
    Inputs in = Inputs.of(List.of(svc)).withHealth("svc", Health.DOWN)
        .withFleet(FleetGate.GUARDING.permit(p("10.0.0.1")));
    Set<IpPrefix> now = Set.of(p("10.0.0.1"), p("10.0.0.2"), p("2001:db8::1"));
    KeptPrefixes kept = KeptPrefixes.atStartup(now, in.services());

    DesiredPrefixes v4 = DesiredPrefixes.compute(IpFamily.IPV4, in, kept, false, now);
    DesiredPrefixes v6 = DesiredPrefixes.compute(IpFamily.IPV6, in, kept, false, now);

    assertThat(v4.prefixes()).containsExactly(p("10.0.0.2"));
    assertThat(v4.held()).containsExactly(p("10.0.0.2"));
    assertThat(v4.announced()).isEqualTo(Map.of("svc", true));
    assertThat(v6.prefixes()).containsExactly(p("2001:db8::1"));
    assertThat(v6.held()).containsExactly(p("2001:db8::1"));
  }

  @Test
  void compute_everyPrefixPermitted_withdrawsAndTellsTheCommand() {
    ServiceConfig svc = service("svc", OnDisabled.WITHDRAW, "/bin/true", "10.0.0.1", "10.0.0.2");
    Inputs in = Inputs.of(List.of(svc)).withHealth("svc", Health.DOWN)
        .withFleet(FleetGate.GUARDING.permit(p("10.0.0.1")).permit(p("10.0.0.2")));
    Set<IpPrefix> now = Set.of(p("10.0.0.1"), p("10.0.0.2"));

    DesiredPrefixes d = DesiredPrefixes.compute(IpFamily.IPV4, in,
        KeptPrefixes.atStartup(now, in.services()), false, now);

    assertThat(d.prefixes()).isEmpty();
    assertThat(d.held()).isEmpty();
    assertThat(d.announced()).isEqualTo(Map.of("svc", false));
  }

  @Test
  void compute_withoutCurrent_holdsNothing() {
    ServiceConfig svc = service("svc", "10.0.0.1");
    Inputs in = Inputs.of(List.of(svc)).withHealth("svc", Health.DOWN)
        .withFleet(FleetGate.GUARDING);

    DesiredPrefixes d = DesiredPrefixes.compute(IpFamily.IPV4, in,
        KeptPrefixes.atStartup(Set.of(PREFIX), in.services()), false);

    assertThat(d.prefixes()).isEmpty();
    assertThat(d.held()).isEmpty();
  }
}
