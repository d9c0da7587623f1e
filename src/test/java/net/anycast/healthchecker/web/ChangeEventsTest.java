package net.anycast.healthchecker.web;

import static net.anycast.healthchecker.web.WebTestData.NOW;
import static net.anycast.healthchecker.web.WebTestData.family;
import static net.anycast.healthchecker.web.WebTestData.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.anycast.healthchecker.bird.ReconcilerStatus;
import net.anycast.healthchecker.config.OnShutdown;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.Test;

class ChangeEventsTest {
  private static final ServiceConfig WEB = service("web", "10.0.0.1/32");
  private static final ServiceConfig DNS = service("dns", "10.0.0.2/32", "2001:db8::2/128");
  private static final Inputs BASE = Inputs.of(List.of(WEB, DNS));

  private static Map<String, Object> data(ChangeEvents.Change c) {
    return Json.object(c.json());
  }

  @Test
  void sameSnapshot_hasNoChanges() {
    assertThat(ChangeEvents.between(BASE, BASE)).isEmpty();
  }

  @Test
  void healthChange_isOneHealthEvent() {
    Inputs up = BASE.withHealth("web", Health.UP);

    List<ChangeEvents.Change> changes = ChangeEvents.between(BASE, up);

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("health");
      assertThat(data(c)).isEqualTo(Map.of("service", "web", "from", "unknown", "to", "up"));
    });
  }

  @Test
  void severalHealthChanges_areOneEventEach_inConfigurationOrder() {
    Inputs before = BASE.withHealth("web", Health.UP).withHealth("dns", Health.UP);
    Inputs after = before.withHealth("web", Health.DOWN).withHealth("dns", Health.DISABLED);

    List<ChangeEvents.Change> changes = ChangeEvents.between(before, after);

    assertThat(changes).extracting(ChangeEvents.Change::type).containsExactly("health", "health");
    assertThat(data(changes.get(0))).isEqualTo(Map.of("service", "web", "from", "up", "to",
        "down"));
    assertThat(data(changes.get(1))).isEqualTo(Map.of("service", "dns", "from", "up", "to",
        "disabled"));
  }

  @Test
  void healthThatWentDownAndUpAgain_showsNothing() {
    Inputs up = BASE.withHealth("web", Health.UP);
    Inputs again = up.withHealth("web", Health.DOWN).withHealth("web", Health.UP);

    assertThat(ChangeEvents.between(up, again)).isEmpty();
  }

  @Test
  void drainAdded_isADrainEvent() {
    Drain d = Drain.of("web", "alice: upgrade").withCreation(NOW)
        .withExpiration(NOW.plusSeconds(7200));
    Inputs drained = BASE.withDrains(Drains.of(List.of(d)));

    List<ChangeEvents.Change> changes = ChangeEvents.between(BASE, drained);

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("drain");
      assertThat(data(c)).containsExactly(Map.entry("name", "web"),
          Map.entry("reason", "alice: upgrade"), Map.entry("expires", "2026-03-01T14:00:00Z"),
          Map.entry("created", "2026-03-01T12:00:00Z"));
    });
  }

  @Test
  void drainWithoutTimes_hasNullTimes() {
    Inputs drained = BASE.withDrains(Drains.of(List.of(Drain.of("all", ""))));

    Map<String, Object> data = data(ChangeEvents.between(BASE, drained).getFirst());

    assertThat(data).containsEntry("name", "all").containsEntry("reason", "")
        .containsEntry("expires", null).containsEntry("created", null);
  }

  @Test
  void drainChanged_isADrainEventWithTheNewValues() {
    Drain first = Drain.of("web", "upgrade").withCreation(NOW);
    Drain longer = first.withExpiration(NOW.plusSeconds(60));
    Inputs before = BASE.withDrains(Drains.of(List.of(first)));
    Inputs after = BASE.withDrains(Drains.of(List.of(longer)));

    List<ChangeEvents.Change> changes = ChangeEvents.between(before, after);

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("drain");
      assertThat(data(c)).containsEntry("expires", "2026-03-01T12:01:00Z");
    });
  }

  @Test
  void drainRemoved_isAnUndrainEvent_andOtherDrainsStaySilent() {
    Drain web = Drain.of("web", "a");
    Drain dns = Drain.of("dns:53", "b");
    Inputs before = BASE.withDrains(Drains.of(List.of(web, dns)));
    Inputs after = BASE.withDrains(Drains.of(List.of(dns)));

    List<ChangeEvents.Change> changes = ChangeEvents.between(before, after);

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("undrain");
      assertThat(data(c)).isEqualTo(Map.of("name", "web"));
    });
  }

  @Test
  void servicesAddedAndRemoved_isOneServicesEvent_namesSorted() {
    ServiceConfig zeta = service("zeta", "10.0.0.9/32");
    ServiceConfig alpha = service("alpha", "10.0.0.8/32");
    Inputs reloaded = Inputs.of(List.of(WEB, zeta, alpha));

    List<ChangeEvents.Change> changes = ChangeEvents.between(BASE, reloaded);

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("services");
      assertThat(data(c)).isEqualTo(Map.of("added", List.of("alpha", "zeta"),
          "removed", List.of("dns")));
    });
  }

  @Test
  void reloadOfTheSameServices_isAServicesEventWithNothingAddedOrRemoved() {
    Inputs reloaded = Inputs.of(List.of(WEB, DNS));

    assertThat(ChangeEvents.between(BASE, reloaded)).singleElement().satisfies(c ->
        assertThat(data(c)).isEqualTo(Map.of("added", List.of(), "removed", List.of())));
  }

  @Test
  void serviceAddedByAReload_getsNoHealthEvent_keptOnesDo() {
    Inputs before = BASE.withHealth("web", Health.UP);
    Inputs after = Inputs.of(List.of(WEB, DNS, service("new", "10.0.0.7/32")))
        .withHealth("web", Health.DOWN).withHealth("new", Health.UP);

    List<ChangeEvents.Change> changes = ChangeEvents.between(before, after);

    assertThat(changes).extracting(ChangeEvents.Change::type)
        .containsExactly("services", "health");
    assertThat(data(changes.get(1))).containsEntry("service", "web").containsEntry("to", "down");
  }

  @Test
  void stopping_isAStoppingEventWithThePolicy() {
    List<ChangeEvents.Change> changes =
        ChangeEvents.between(BASE, BASE.stopping(OnShutdown.WITHDRAW));

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("stopping");
      assertThat(data(c)).isEqualTo(Map.of("on_shutdown", "withdraw"));
    });
  }

  @Test
  void stoppingWithKeep_saysKeep() {
    assertThat(data(ChangeEvents.between(BASE, BASE.stopping(OnShutdown.KEEP)).getFirst()))
        .isEqualTo(Map.of("on_shutdown", "keep"));
  }

  @Test
  void firstLookAtAReconciler_isABirdEvent() {
    ReconcilerStatus r = family(IpFamily.IPV4, List.of("10.0.0.1/32"), List.of(), false, 0, null,
        "");

    List<ChangeEvents.Change> changes = ChangeEvents.between(null, r, n -> NOW.plusNanos(n));

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("bird");
      assertThat(data(c).keySet()).containsExactly("family", "in_sync", "desired", "applied",
          "error");
      assertThat(data(c)).containsEntry("family", "IPv4").containsEntry("in_sync", false)
          .containsEntry("desired", num(1)).containsEntry("applied", num(0))
          .containsEntry("error", null);
    });
  }

  @Test
  void confirmedReconfigure_isAReconfigureEvent_andTheInSyncFlipABirdEvent() {
    Instant at = NOW.minusSeconds(1);
    ReconcilerStatus before = family(IpFamily.IPV4, List.of("10.0.0.1/32"), List.of(), false, 2,
        NOW.minusSeconds(60), "");
    ReconcilerStatus after = family(IpFamily.IPV4, List.of("10.0.0.1/32"),
        List.of("10.0.0.1/32"), true, 3, at, "");

    List<ChangeEvents.Change> changes = ChangeEvents.between(before, after, n -> NOW.plusNanos(n));

    assertThat(changes).extracting(ChangeEvents.Change::type)
        .containsExactly("reconfigure", "bird");
    assertThat(data(changes.get(0)).keySet()).containsExactly("family", "at", "attempts",
        "result", "error", "duration_seconds");
    assertThat(data(changes.get(0))).containsEntry("family", "IPv4")
        .containsEntry("at", "2026-03-01T11:59:59Z").containsEntry("attempts", num(1))
        .containsEntry("result", "confirmed").containsEntry("error", null)
        .containsEntry("duration_seconds", new java.math.BigDecimal("0.012"));
    assertThat(data(changes.get(1))).containsEntry("in_sync", true)
        .containsEntry("applied", num(1)).containsEntry("error", null);
  }

  @Test
  void severalAttemptsBetweenTwoLooks_areCounted_andAFailureSaysWhy() {
    ReconcilerStatus before = family(IpFamily.IPV6, List.of("2001:db8::2/128"), List.of(), false,
        1, NOW.minusSeconds(60), "");
    ReconcilerStatus after = family(IpFamily.IPV6, List.of("2001:db8::2/128"), List.of(), false,
        4, NOW, "birdc6: connection refused");

    List<ChangeEvents.Change> changes = ChangeEvents.between(before, after, n -> NOW.plusNanos(n));

    assertThat(changes).extracting(ChangeEvents.Change::type)
        .containsExactly("reconfigure", "bird");
    assertThat(data(changes.get(0))).containsEntry("family", "IPv6")
        .containsEntry("attempts", num(3)).containsEntry("result", "failed")
        .containsEntry("error", "birdc6: connection refused");
    assertThat(data(changes.get(1))).containsEntry("in_sync", false)
        .containsEntry("error", "birdc6: connection refused");
  }

  @Test
  void inSyncFlipWithoutReconfigure_isOnlyABirdEvent() {
    ReconcilerStatus before = family(IpFamily.IPV4, List.of("10.0.0.1/32"),
        List.of("10.0.0.1/32"), true, 3, NOW, "");
    ReconcilerStatus after = family(IpFamily.IPV4, List.of(), List.of("10.0.0.1/32"), false, 3,
        NOW, "");

    List<ChangeEvents.Change> changes = ChangeEvents.between(before, after, n -> NOW.plusNanos(n));

    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo("bird");
      assertThat(data(c)).containsEntry("in_sync", false).containsEntry("desired", num(0))
          .containsEntry("applied", num(1));
    });
  }

  @Test
  void unchangedReconciler_hasNoEvents() {
    ReconcilerStatus r = family(IpFamily.IPV4, List.of("10.0.0.1/32"), List.of("10.0.0.1/32"),
        true, 3, NOW, "");
    ReconcilerStatus same = family(IpFamily.IPV4, List.of("10.0.0.1/32"),
        List.of("10.0.0.1/32"), true, 3, NOW, "");

    assertThat(ChangeEvents.between(r, same, n -> NOW.plusNanos(n))).isEmpty();
  }

  private static java.math.BigDecimal num(long n) {
    return java.math.BigDecimal.valueOf(n);
  }
}
