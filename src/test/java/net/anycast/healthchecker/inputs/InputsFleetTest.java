package net.anycast.healthchecker.inputs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import net.anycast.healthchecker.check.TestServices;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fleet valve's gate in the snapshot: {@link Inputs#withFleet}, permits and health. */
class InputsFleetTest {
  private static final IpPrefix A1 = IpPrefix.parse("10.0.0.1/32");
  private static final IpPrefix A2 = IpPrefix.parse("10.0.0.2/32");
  private static final IpPrefix B1 = IpPrefix.parse("10.0.1.1/32");
  private static final ServiceConfig A = TestServices.service("a", "true", "10.0.0.1/32",
      "10.0.0.2/32");
  private static final ServiceConfig B = TestServices.service("b", "true", "10.0.1.1/32");

  private static Inputs downWithPermits() {
    return Inputs.of(List.of(A, B)).withHealth("a", Health.DOWN).withHealth("b", Health.DOWN)
        .withFleet(FleetGate.GUARDING.permit(A1).permit(A2).permit(B1));
  }

  @ParameterizedTest
  @EnumSource(value = Health.class, names = {"UP", "UNKNOWN", "DISABLED"})
  void withHealth_notDown_revokesThatServicesPermitsOnly(Health health) {
    Inputs next = downWithPermits().withHealth("a", health);

    assertThat(next.fleet().permitted()).containsExactly(B1);
    assertThat(next.fleet().guarding()).isTrue();
  }

  @Test
  void withHealth_down_keepsPermits() {
    Inputs in = Inputs.of(List.of(A, B)).withHealth("a", Health.UP)
        .withFleet(FleetGate.GUARDING.permit(A1));

    Inputs next = in.withHealth("a", Health.DOWN);

    assertThat(next.fleet().permitted()).containsExactly(A1);
  }

  @Test
  void withHealth_sameHealth_isIdentity_permitsKept() {
    Inputs in = downWithPermits();

    assertThat(in.withHealth("a", Health.DOWN)).isSameAs(in);
  }

  @Test
  void withHealth_whileStopping_isFrozen_permitsKept() {
    Inputs in = downWithPermits().stopping(net.anycast.healthchecker.config.OnShutdown.KEEP);

    Inputs next = in.withHealth("a", Health.UP);

    assertThat(next).isSameAs(in);
    assertThat(next.fleet().permitted()).containsExactlyInAnyOrder(A1, A2, B1);
  }

  @Test
  void withFleet_equalGate_isIdentity() {
    Inputs in = Inputs.of(List.of(A, B));

    assertThat(in.fleet()).isEqualTo(FleetGate.OFF);
    assertThat(in.withFleet(FleetGate.OFF)).isSameAs(in);
    assertThat(in.withFleet(new FleetGate(false, Set.of()))).isSameAs(in);
    Inputs guarding = in.withFleet(FleetGate.GUARDING);
    assertThat(guarding.withFleet(new FleetGate(true, Set.of()))).isSameAs(guarding);
    Inputs permitted = guarding.withFleet(FleetGate.GUARDING.permit(A1));
    assertThat(permitted.withFleet(new FleetGate(true, Set.of(A1)))).isSameAs(permitted);
  }

  @Test
  void withFleet_otherGate_isANewVersion() {
    Inputs in = Inputs.of(List.of(A, B));

    Inputs next = in.withFleet(FleetGate.GUARDING);

    assertThat(next).isNotSameAs(in);
    assertThat(next.version()).isGreaterThan(in.version());
    assertThat(next.fleet()).isEqualTo(FleetGate.GUARDING);
    assertThat(next.healthByService()).isEqualTo(in.healthByService());
  }

  @Test
  void healthWithdrawal_onlyForADownServiceThatNothingElseWithdraws() {
    Inputs down = Inputs.of(List.of(A, B)).withHealth("a", Health.DOWN);

    assertThat(down.healthWithdrawal(A)).isTrue();
    assertThat(down.healthWithdrawal(B)).as("UNKNOWN keeps").isFalse();
    assertThat(down.withHealth("a", Health.UP).healthWithdrawal(A)).isFalse();
    assertThat(down.stopping(net.anycast.healthchecker.config.OnShutdown.WITHDRAW)
        .healthWithdrawal(A)).as("the stop withdraws").isFalse();
    assertThat(down.stopping(net.anycast.healthchecker.config.OnShutdown.KEEP)
        .healthWithdrawal(A)).isTrue();
  }

  @Test
  void gate_permitRevokeAndGuarding() {
    FleetGate g = FleetGate.GUARDING;

    assertThat(g.mayWithdraw(A1)).isFalse();
    assertThat(g.permit(A1).mayWithdraw(A1)).isTrue();
    assertThat(g.permit(A1).mayWithdraw(A2)).isFalse();
    assertThat(FleetGate.OFF.mayWithdraw(A1)).isTrue();
    FleetGate permitted = g.permit(A1);
    assertThat(permitted.permit(A1)).isSameAs(permitted);
    assertThat(permitted.revoke(List.of(B1))).isSameAs(permitted);
    assertThat(permitted.revoke(List.of(A1, B1)).permitted()).isEmpty();
    assertThat(permitted.guarding(true)).isSameAs(permitted);
    assertThat(permitted.guarding(false).permitted()).containsExactly(A1);
    assertThat(permitted.guarding(false).mayWithdraw(A2)).isTrue();
  }

  @Test
  void permitFleetWithdrawal_onlyWhileAServiceOfThePrefixIsDown() {
    Inputs guarding = Inputs.of(List.of(A, B)).withFleet(FleetGate.GUARDING);
    Inputs up = guarding.withHealth("a", Health.UP);
    Inputs down = guarding.withHealth("a", Health.DOWN);

    // A permit asked while down but granted after a recovery must not wait for the next failure.
    assertThat(up.permitFleetWithdrawal(A1)).isSameAs(up);
    assertThat(down.permitFleetWithdrawal(A1).fleet().permitted()).containsExactly(A1);
    assertThat(down.permitFleetWithdrawal(B1)).isSameAs(down); // b is not down
  }
}
