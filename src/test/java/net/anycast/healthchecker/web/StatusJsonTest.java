package net.anycast.healthchecker.web;

import static net.anycast.healthchecker.web.Json.at;
import static net.anycast.healthchecker.web.WebTestData.NOW;
import static net.anycast.healthchecker.web.WebTestData.family;
import static net.anycast.healthchecker.web.WebTestData.service;
import static net.anycast.healthchecker.web.WebTestData.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.OnShutdown;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.health.LastCheck;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
  private static final ServiceConfig WEB = service("web", "10.0.0.1/32");
  private static final ServiceConfig DNS = service("dns", "10.0.0.2/32", "2001:db8::2/128");
  private static final ServiceConfig MAIL = service("mail", OnDrain.KEEP, "10.0.0.3/32");

  private static final LastCheck PASSED =
      new LastCheck(NOW.minusSeconds(3), Duration.ofMillis(12), "passed", 0, "");
  private static final LastCheck FAILED = new LastCheck(NOW.minusSeconds(1),
      Duration.ofMillis(1500), "failed", 2, "connection refused </script>\n");

  /** web up and announced, dns down and withdrawn, mail unknown and drained (kept by BIRD). */
  private static ApiSnapshot snapshot() {
    Drain drain = Drain.of("mail", "alice: disk swap").withCreation(NOW.minusSeconds(600))
        .withExpiration(NOW.plusSeconds(3600));
    Inputs inputs = Inputs.of(List.of(WEB, DNS, MAIL)).withHealth("web", Health.UP)
        .withHealth("dns", Health.DOWN).withDrains(Drains.of(List.of(drain)));
    return WebTestData.snapshot(inputs,
        List.of(status(WEB, Health.UP, 4, 0, PASSED, NOW.minusSeconds(100)),
            status(DNS, Health.DOWN, 0, 2, FAILED, NOW.minusSeconds(30))),
        List.of(
            family(IpFamily.IPV4, List.of("10.0.0.1/32", "10.0.0.3/32"),
                List.of("10.0.0.1/32", "10.0.0.3/32"), true, 5, NOW.minusSeconds(5), ""),
            family(IpFamily.IPV6, List.of(), List.of(), false, 0, null, "")));
  }

  private static Map<String, Object> doc(ApiSnapshot s) {
    String json = StatusJson.status(s);
    assertThat(json).doesNotContain("\n").doesNotContain("<");
    return Json.object(json);
  }

  private static List<String> keys(Object object) {
    return ((Map<?, ?>) object).keySet().stream().map(String.class::cast).toList();
  }

  @Test
  void document_hasDaemonServicesAndFamilies() {
    assertThat(doc(snapshot()).keySet()).containsExactly("daemon", "services", "families");
  }

  @Test
  void daemon_saysVersionPidUptimeAndConfigFiles() {
    Object daemon = at(doc(snapshot()), "daemon");

    assertThat(keys(daemon)).containsExactly("version", "pid", "started",
        "uptime_seconds", "now", "config_files", "last_reload", "stopping", "fleet");
    assertThat(at(daemon, "version")).isEqualTo("1.2.3-test");
    assertThat(at(daemon, "pid")).isEqualTo(new BigDecimal(4242));
    assertThat(at(daemon, "started")).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(at(daemon, "uptime_seconds")).isEqualTo(new BigDecimal(7200));
    assertThat(at(daemon, "now")).isEqualTo("2026-03-01T12:00:00Z");
    assertThat(at(daemon, "config_files"))
        .isEqualTo(List.of("/etc/ahc/daemon.conf", "/etc/ahc/conf.d/a.conf"));
    assertThat(at(daemon, "last_reload")).isNull();
    assertThat(at(daemon, "stopping")).isNull();
    assertThat(at(daemon, "fleet")).isNull(); // no valve configured
  }

  @Test
  void lastReload_isItsTimeResultAndErrors() {
    ApiSnapshot s = snapshot();
    ApiSnapshot reloaded = new ApiSnapshot(new ApiSnapshot.DaemonFacts("1.2.3-test", 1,
        WebTestData.STARTED, List.of(), new ApiSnapshot.ReloadFacts(NOW.minusSeconds(60), false,
            List.of("svc.conf: [web] check_interval = 'x': not a number"))),
        s.inputs(), s.statuses(), s.families(), NOW);

    Object reload = at(doc(reloaded), "daemon", "last_reload");

    assertThat(reload).isEqualTo(Map.of("at", "2026-03-01T11:59:00Z", "ok", false, "errors",
        List.of("svc.conf: [web] check_interval = 'x': not a number")));
  }

  @Test
  void stopping_showsThePolicy() {
    ApiSnapshot s = snapshot();
    ApiSnapshot stopping = new ApiSnapshot(s.daemon(), s.inputs().stopping(OnShutdown.WITHDRAW),
        s.statuses(), s.families(), NOW);

    assertThat(at(doc(stopping), "daemon", "stopping")).isEqualTo("withdraw");
  }

  @Test
  void services_inConfigurationOrder_withEveryField() {
    Map<String, Object> doc = doc(snapshot());

    assertThat((List<?>) at(doc, "services")).extracting(s -> at(s, "name"))
        .containsExactly("web", "dns", "mail");
    assertThat(keys(at(doc, "services", 0))).containsExactly("name",
        "prefixes", "health", "check_disabled", "interval_seconds", "timeout_seconds", "rise",
        "fall", "last_check", "check_mode", "checks", "check_runs", "timeouts", "last_change",
        "ip_assigned", "drain", "wanted", "announced", "fleet_held");
  }

  @Test
  void upService_withAPassedCheck() {
    Object web = at(doc(snapshot()), "services", 0);

    assertThat(at(web, "prefixes")).isEqualTo(List.of("10.0.0.1/32"));
    assertThat(at(web, "health")).isEqualTo("up");
    assertThat(at(web, "check_disabled")).isEqualTo(false);
    assertThat(at(web, "interval_seconds")).isEqualTo(new BigDecimal("10.000"));
    assertThat(at(web, "timeout_seconds")).isEqualTo(new BigDecimal("2.000"));
    assertThat(at(web, "rise")).isEqualTo(Map.of("streak", BigDecimal.valueOf(4), "needed",
        BigDecimal.valueOf(3)));
    assertThat(at(web, "fall")).isEqualTo(Map.of("streak", BigDecimal.ZERO, "needed",
        BigDecimal.valueOf(2)));
    assertThat(at(web, "last_check")).isEqualTo(Map.of("started", "2026-03-01T11:59:57Z",
        "duration_seconds", new BigDecimal("0.012"), "result", "passed", "exit_code",
        BigDecimal.ZERO, "output", ""));
    assertThat(at(web, "check_runs")).isEqualTo(BigDecimal.valueOf(5));
    assertThat(at(web, "last_change")).isEqualTo("2026-03-01T11:58:20Z");
    assertThat(at(web, "ip_assigned")).isEqualTo(true);
    assertThat(at(web, "drain")).isNull();
    assertThat(at(web, "wanted")).isEqualTo(true);
    assertThat(at(web, "announced")).isEqualTo(true);
  }

  @Test
  void downService_withAFailedCheck_andItsOutput() {
    Object dns = at(doc(snapshot()), "services", 1);

    assertThat(at(dns, "prefixes")).isEqualTo(List.of("10.0.0.2/32", "2001:db8::2/128"));
    assertThat(at(dns, "health")).isEqualTo("down");
    assertThat(at(dns, "fall", "streak")).isEqualTo(BigDecimal.valueOf(2));
    assertThat(at(dns, "last_check", "result")).isEqualTo("failed");
    assertThat(at(dns, "last_check", "exit_code")).isEqualTo(BigDecimal.valueOf(2));
    assertThat(at(dns, "last_check", "duration_seconds")).isEqualTo(new BigDecimal("1.500"));
    assertThat(at(dns, "last_check", "output")).isEqualTo("connection refused </script>\n");
    assertThat(at(dns, "wanted")).isEqualTo(false);
    assertThat(at(dns, "announced")).isEqualTo(false);
  }

  @Test
  void drainedService_withoutALoopStatus_hasNoLastCheck() {
    Object mail = at(doc(snapshot()), "services", 2);

    assertThat(at(mail, "health")).isEqualTo("unknown");
    assertThat(at(mail, "last_check")).isNull();
    assertThat(at(mail, "rise", "streak")).isEqualTo(BigDecimal.ZERO);
    assertThat(at(mail, "check_runs")).isEqualTo(BigDecimal.ZERO);
    assertThat(at(mail, "last_change")).isNull();
    assertThat(at(mail, "ip_assigned")).isEqualTo(true);
    assertThat(at(mail, "drain")).isEqualTo(Map.of("name", "mail", "reason", "alice: disk swap",
        "expires", "2026-03-01T13:00:00Z", "created", "2026-03-01T11:50:00Z",
        "on_drain", "keep"));
    assertThat(at(mail, "wanted")).isEqualTo(true);
    assertThat(at(mail, "announced")).isEqualTo(true);
  }

  @Test
  void checkThatCouldNotRun_hasANullExitCode() {
    LastCheck couldNot = new LastCheck(NOW, Duration.ZERO, "could not run", -1,
        "/bin/nope: No such file or directory");
    ApiSnapshot s = snapshot();
    ApiSnapshot one = new ApiSnapshot(s.daemon(), s.inputs(),
        List.of(status(WEB, Health.DOWN, 0, 1, couldNot, NOW)), s.families(), NOW);

    Object web = at(doc(one), "services", 0);

    assertThat(at(web, "last_check", "exit_code")).isNull();
    assertThat(at(web, "last_check", "result")).isEqualTo("could not run");
  }

  @Test
  void drainOfAll_showsOnEveryService() {
    ApiSnapshot s = snapshot();
    ApiSnapshot all = new ApiSnapshot(s.daemon(),
        s.inputs().withDrains(Drains.of(List.of(Drain.of("all", "maintenance")))),
        s.statuses(), s.families(), NOW);

    Map<String, Object> doc = doc(all);

    assertThat((List<?>) at(doc, "services")).extracting(x -> at(x, "drain", "name"))
        .containsExactly("all", "all", "all");
    assertThat(at(doc, "services", 0, "drain", "on_drain")).isEqualTo("withdraw");
  }

  @Test
  void serviceAnnouncedInOneFamilyOnly_isNotAnnounced() {
    ApiSnapshot s = snapshot();
    ApiSnapshot half = new ApiSnapshot(s.daemon(), s.inputs(), s.statuses(), List.of(
        family(IpFamily.IPV4, List.of("10.0.0.2/32"), List.of("10.0.0.2/32"), true, 1, NOW, ""),
        family(IpFamily.IPV6, List.of("2001:db8::2/128"), List.of(), false, 1, NOW, "")), NOW);

    Object dns = at(doc(half), "services", 1);

    assertThat(at(dns, "wanted")).isEqualTo(true);
    assertThat(at(dns, "announced")).isEqualTo(false);
  }

  @Test
  void familyNotRunAtAll_announcesNothing() {
    ApiSnapshot s = snapshot();
    ApiSnapshot v4only = new ApiSnapshot(s.daemon(), s.inputs(), s.statuses(), List.of(
        family(IpFamily.IPV4, List.of("10.0.0.2/32"), List.of("10.0.0.2/32"), true, 1, NOW, "")),
        NOW);

    Map<String, Object> doc = doc(v4only);

    assertThat(at(doc, "services", 1, "announced")).isEqualTo(false);
    assertThat((List<?>) at(doc, "families")).hasSize(1);
  }

  @Test
  void families_showDesiredAppliedAndTheLastReconfigure() {
    Map<String, Object> doc = doc(snapshot());
    Object v4 = at(doc, "families", 0);
    Object v6 = at(doc, "families", 1);

    assertThat(keys(v4)).containsExactly("family", "in_sync", "desired",
        "applied", "fleet_held", "last_reconfigure", "reconfigures", "consecutive_failures", "last_error");
    assertThat(at(v4, "family")).isEqualTo("IPv4");
    assertThat(at(v4, "in_sync")).isEqualTo(true);
    assertThat(at(v4, "desired")).isEqualTo(List.of("10.0.0.1/32", "10.0.0.3/32"));
    assertThat(at(v4, "applied")).isEqualTo(List.of("10.0.0.1/32", "10.0.0.3/32"));
    assertThat(at(v4, "last_reconfigure")).isEqualTo(Json.map("at", "2026-03-01T11:59:55Z",
        "duration_seconds", new BigDecimal("0.012"), "result", "confirmed", "error", null));
    assertThat(at(v4, "reconfigures")).isEqualTo(BigDecimal.valueOf(5));
    assertThat(at(v4, "consecutive_failures")).isEqualTo(BigDecimal.ZERO);
    assertThat(at(v4, "last_error")).isNull();

    assertThat(at(v6, "family")).isEqualTo("IPv6");
    assertThat(at(v6, "in_sync")).isEqualTo(false);
    assertThat(at(v6, "last_reconfigure")).isNull();
  }

  @Test
  void failingFamily_saysWhy() {
    ApiSnapshot s = snapshot();
    ApiSnapshot failing = new ApiSnapshot(s.daemon(), s.inputs(), s.statuses(), List.of(
        family(IpFamily.IPV4, List.of("10.0.0.1/32"), List.of(), false, 7, NOW,
            "birdc: connection refused")), NOW);

    Object v4 = at(doc(failing), "families", 0);

    assertThat(at(v4, "last_reconfigure", "result")).isEqualTo("failed");
    assertThat(at(v4, "last_reconfigure", "error")).isEqualTo("birdc: connection refused");
    assertThat(at(v4, "consecutive_failures")).isEqualTo(BigDecimal.ONE);
    assertThat(at(v4, "last_error")).isEqualTo("birdc: connection refused");
  }

  @Test
  void oneService_isTheSameObjectAsInTheStatus() {
    ApiSnapshot s = snapshot();

    String dns = StatusJson.service(s, "dns").orElseThrow();

    assertThat(Json.parse(dns)).isEqualTo(at(doc(s), "services", 1));
  }

  @Test
  void unknownService_isEmpty() {
    assertThat(StatusJson.service(snapshot(), "nope")).isEmpty();
  }

  @Test
  void noServices_isAnEmptyList() {
    ApiSnapshot empty = WebTestData.snapshot(Inputs.of(List.of()), List.of(), List.of());

    Map<String, Object> doc = doc(empty);

    assertThat(at(doc, "services")).isEqualTo(List.of());
    assertThat(at(doc, "families")).isEqualTo(List.of());
  }
}
