package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.anycast.healthchecker.check.TestServices;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.metrics.SlotSample;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.schedule.SlotCounts;
import org.junit.jupiter.api.Test;

/** The loops' slot counts as metrics samples: one per service and prefix, like the others. */
class DaemonStateSlotsTest {

  @Test
  void slots_oneSamplePerPrefix_noneForAServiceWithoutALoop() {
    ServiceConfig two = TestServices.service("two", "/bin/true", "10.0.0.1/32", "10.0.0.2/32");
    ServiceConfig off = TestServices.service("off", "/bin/true", "10.0.0.3/32");
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    List<ServiceStatus> statuses = List.of(
        ServiceStatus.initial("two", two.prefixes(), t0, 0, List.of()),
        ServiceStatus.initial("off", off.prefixes(), t0, 0, List.of()));
    DaemonState state = new DaemonState(() -> Inputs.of(List.of(two, off)), () -> statuses,
        List.of(), () -> t0, () -> 0, Map.of());
    assertThat(state.slots()).isEmpty();
    state.slots(() -> List.of(new SlotCounts("two", 10, 1, 2, Duration.ofMillis(300))));
    assertThat(state.slots()).containsExactly(
        new SlotSample("two", IpPrefix.parse("10.0.0.1/32"), 10, 1, 2, Duration.ofMillis(300)),
        new SlotSample("two", IpPrefix.parse("10.0.0.2/32"), 10, 1, 2, Duration.ofMillis(300)));
  }
}
