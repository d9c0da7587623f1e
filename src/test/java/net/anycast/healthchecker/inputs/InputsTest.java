package net.anycast.healthchecker.inputs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.anycast.healthchecker.check.TestServices;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.OnShutdown;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import org.junit.jupiter.api.Test;

/** The snapshot's reload: {@link Inputs#withServices}. */
class InputsTest {
  private static final ServiceConfig A = TestServices.service("a", "true", "10.0.0.1/32");
  private static final ServiceConfig B = TestServices.service("b", "true", "10.0.0.2/32");
  private static final ServiceConfig C = TestServices.service("c", "true", "10.0.0.3/32");

  @Test
  void withServices_keepsHealthByName_newOnesUnknown_removedGone_inTheNewOrder() {
    Inputs in = Inputs.of(List.of(A, B)).withHealth("a", Health.UP).withHealth("b", Health.DOWN);
    Inputs next = in.withServices(List.of(C, A));
    assertThat(next.healthByService())
        .containsExactly(Map.entry("c", Health.UNKNOWN), Map.entry("a", Health.UP));
    assertThat(next.version()).isGreaterThan(in.version());
    assertThat(next.withHealth("b", Health.UP)).as("a removed service's late result").isSameAs(next);
  }

  @Test
  void withServices_changedSettingsOfAStayingService_keepItsHealth() {
    ServiceConfig slower = TestServices.withTiming(A, java.time.Duration.ofSeconds(60),
        java.time.Duration.ofSeconds(5));
    Inputs next = Inputs.of(List.of(A)).withHealth("a", Health.UP).withServices(List.of(slower));
    assertThat(next.health("a")).isEqualTo(Health.UP);
    assertThat(next.services()).containsExactly(slower);
  }

  @Test
  void withServices_disabledCheckEnabledAgain_startsUnknown_stillDisabledStaysDisabled() {
    ServiceConfig off = TestServices.disabled(A, OnDisabled.ADVERTISE);
    Inputs in = Inputs.of(List.of(off)).withHealth("a", Health.DISABLED);
    assertThat(in.withServices(List.of(A)).health("a")).isEqualTo(Health.UNKNOWN);
    ServiceConfig offWithdraw = TestServices.disabled(A, OnDisabled.WITHDRAW);
    assertThat(in.withServices(List.of(offWithdraw)).health("a")).isEqualTo(Health.DISABLED);
  }

  @Test
  void withServices_sameListOrStopping_changesNothing() {
    Inputs in = Inputs.of(List.of(A, B));
    assertThat(in.withServices(List.of(A, B))).isSameAs(in);
    Inputs stopping = in.stopping(OnShutdown.KEEP);
    assertThat(stopping.withServices(List.of(C))).isSameAs(stopping);
  }
}
