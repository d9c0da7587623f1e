package net.anycast.healthchecker.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.anycast.healthchecker.check.TestServices;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.Test;

class StatusReportTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final List<ServiceConfig> SERVICES = List.of(
      TestServices.service("dns", "true", "10.0.0.1/32"),
      TestServices.service("web", "true", "10.0.0.2/32", "10.0.0.3/32"));

  private static StatusFile.Status daemon(String dns, String web, String bird) {
    return new StatusFile.Status(42, NOW, Duration.ofSeconds(5), List.of(),
        List.of(new StatusFile.ServiceLine("dns", dns), new StatusFile.ServiceLine("web", web)),
        List.of(new StatusFile.BirdLine("IPv4", bird, bird.equals("failing") ? "8002 bad" : "")),
        List.of());
  }

  private static Map<IpFamily, Set<IpPrefix>> file(String... prefixes) {
    return Map.of(IpFamily.IPV4, Set.of(prefixes).stream().map(IpPrefix::parse)
        .collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void allUpNoneDrained_exit0() {
    StatusReport r = new StatusReport(SERVICES, Drains.none(),
        Optional.of(daemon("up", "up", "in-sync")), file("10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32"));
    assertThat(r.exitCode()).isZero();
    assertThat(r.table(NOW)).contains("dns      10.0.0.1/32              up      no       announced");
    assertThat(r.json()).contains("\"ok\": true", "\"running\": true, \"pid\": 42");
  }

  @Test
  void drainedOrDownOrNoDaemon_exit1_andTheRowsSayWhy() {
    Drain d = Drain.of("web:80", "alice").withExpiration(NOW.plusSeconds(90));
    StatusReport r = new StatusReport(SERVICES, Drains.of(List.of(d)),
        Optional.of(daemon("down", "up", "failing")), file("10.0.0.2/32"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.rows()).extracting(StatusReport.Row::health).containsExactly("down", "up");
    assertThat(r.rows().get(1).drain()).contains(d);
    assertThat(r.rows().get(1).bird()).isEqualTo("partly announced (BIRD not confirmed: 8002 bad)");
    assertThat(r.table(NOW)).contains("yes: alice, until 2026-12-02T10:01:30Z (90s left)");
    StatusReport none = new StatusReport(SERVICES, Drains.none(), Optional.empty(), file());
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.rows()).extracting(StatusReport.Row::health)
        .containsOnly("not running");
  }

  @Test
  void notices_ofTheDaemon_areShownAboveTheTable_andInTheJson_andSurviveTheFile() {
    StatusFile.Status withNotice = new StatusFile.Status(42, NOW, Duration.ofSeconds(5),
        List.of(), List.of(), List.of(), List.of("checks are started through the JDK: libc lacks"
            + " pidfd_open"));
    StatusFile.Status read = StatusFile.parse(StatusFile.render(withNotice));
    assertThat(read.notices()).containsExactly(
        "checks are started through the JDK: libc lacks pidfd_open");
    StatusReport r = new StatusReport(SERVICES, Drains.none(), Optional.of(read), file());
    assertThat(r.table(NOW)).startsWith(
        "warning: checks are started through the JDK: libc lacks pidfd_open\n");
    assertThat(r.json()).contains(
        "\"notices\": [\"checks are started through the JDK: libc lacks pidfd_open\"]");
  }
}
