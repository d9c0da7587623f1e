package net.anycast.healthchecker.check;

import static net.anycast.healthchecker.check.ScriptedCheck.fail;
import static net.anycast.healthchecker.check.ScriptedCheck.pass;
import static net.anycast.healthchecker.check.ScriptedCheck.timeout;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServiceCheckTest {
  private static final long T0_NANOS = 7_000_000_000L;
  private static final IpPrefix P1 = IpPrefix.parse("10.52.12.1/32");
  private static final IpPrefix P2 = IpPrefix.parse("2001:db8::7/128");

  private final InputsRef board = new InputsRef(Inputs.of(List.of(config())));
  private final List<Health> published = new ArrayList<>();
  private final Map<String, Set<IpPrefix>> table = new ConcurrentHashMap<>(Map.of("lo", Set.of(P1, P2)));
  private final IpAssignment ip = new IpAssignment(() -> table, () -> 0, Duration.ZERO);
  private final ScriptedCheck check = new ScriptedCheck();
  private final LogCapture log = new LogCapture(ServiceCheck.class);

  ServiceCheckTest() {
    board.onChange(() -> published.add(board.current().health("svc")));
  }

  @AfterEach
  void detach() {
    log.close();
  }

  private ServiceCheck service(ServiceConfig config) {
    return new ServiceCheck(config, check, ip, board, () -> T0_NANOS);
  }

  private static ServiceConfig config() {
    return TestServices.service("svc", "true", "10.52.12.1/32", "2001:db8::7/128");
  }

  @Test
  void iterate_risesAfterTwoPasses_publishesUpOnceAndLogsLikeTheOriginal() throws Exception {
    ServiceCheck s = service(config());
    check.then(pass(), pass(), pass());
    assertThat(s.start(Duration.ZERO)).isTrue();
    s.iterate();
    assertThat(board.current().health("svc")).isEqualTo(Health.UNKNOWN);
    s.iterate();
    s.iterate();
    assertThat(published).containsExactly(Health.UP);
    assertThat(log.messages())
        .contains("loading check for svc", "running scripted", "check duration 5.000ms",
            "going up 1/2", "status UP",
            "status changed to UP from UNKNOWN, announcing 10.52.12.1/32, 2001:db8::7/128",
            "wall clock time 0.000ms");
    assertThat(log.messages().stream().filter(m -> m.startsWith("status changed"))).hasSize(1);
  }

  @Test
  void begin_reactorCheck_endsWhenTheCheckReports_withTheLinesOfIterate() {
    HeldCheck held = new HeldCheck();
    ServiceCheck s = new ServiceCheck(config(), held, ip, board, () -> T0_NANOS);
    assertThat(s.nonBlocking()).isTrue();
    s.start(Duration.ZERO);
    List<String> done = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      s.begin(() -> done.add("done"));
      assertThat(done).as("not before the check reports").hasSize(i);
      held.end(pass());
    }
    assertThat(done).hasSize(2);
    assertThat(published).containsExactly(Health.UP);
    assertThat(s.status().checkRuns()).isEqualTo(2);
    assertThat(log.messages()).contains("running held", "check duration 5.000ms",
        "going up 1/2", "status UP", "wall clock time 0.000ms");
  }

  @Test
  void begin_prefixNotAssigned_endsAtOnce_withoutRunningTheCheck() {
    HeldCheck held = new HeldCheck();
    ServiceCheck s = new ServiceCheck(config(), held, ip, board, () -> T0_NANOS);
    table.put("lo", Set.of(P1));
    s.start(Duration.ZERO);
    List<String> done = new ArrayList<>();
    s.begin(() -> done.add("done"));
    assertThat(done).hasSize(1);
    assertThat(held.inFlight()).isZero();
    assertThat(s.status().ipAssigned()).isFalse();
  }

  @Test
  void nonBlocking_notForACheckThatBlocks() {
    assertThat(service(config()).nonBlocking()).isFalse();
  }

  @Test
  void iterate_failingCheck_logsItsOutputAtInfoAndFalls() throws Exception {
    ServiceCheck s = service(config());
    check.then(fail(), fail());
    s.start(Duration.ZERO);
    s.iterate();
    s.iterate();
    assertThat(published).containsExactly(Health.DOWN);
    assertThat(infoMessages())
        .contains("stderr from the check se", "stdout from the check so", "going down 1/2",
            "status DOWN", "status changed to DOWN from UNKNOWN, withdrawing 10.52.12.1/32, 2001:db8::7/128");
    assertThat(s.status().lastExitCode()).isEqualTo(2);
    assertThat(s.status().checkRuns()).isEqualTo(2);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {129, 130, 143})
  void iterate_checkKilledByTermIntOrHupFromOutside_isNotEvidence_healthStays(int code)
      throws Exception {
    ServiceCheck s = service(TestServices.withRiseFall(config(), 1, 1));
    check.then(pass(), ScriptedCheck.exit(code), pass());
    s.start(Duration.ZERO);
    s.iterate();
    s.iterate();
    assertThat(published).containsExactly(Health.UP);
    assertThat(s.status().health()).isEqualTo(Health.UP);
    assertThat(s.status().lastExitCode()).isEqualTo(code);
    assertThat(log.messages()).anyMatch(m -> m.startsWith("check was killed by SIG")
        && m.contains("not counted"));
    s.iterate();
    assertThat(published).containsExactly(Health.UP);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 137, 139, 134})
  void iterate_otherExitCodesAndCrashes_stillFail(int code) throws Exception {
    ServiceCheck s = service(TestServices.withRiseFall(config(), 1, 1));
    check.then(pass(), ScriptedCheck.exit(code));
    s.start(Duration.ZERO);
    s.iterate();
    s.iterate();
    assertThat(published).containsExactly(Health.UP, Health.DOWN);
  }

  @Test
  void iterate_whileTheDaemonStops_healthIsFrozen_noRouteMoves() throws Exception {
    ServiceCheck s = service(TestServices.withRiseFall(config(), 1, 1));
    check.then(pass(), fail());
    s.start(Duration.ZERO);
    s.iterate();
    board.update(i -> i.stopping(net.anycast.healthchecker.config.OnShutdown.KEEP));
    s.iterate();
    assertThat(published).containsExactly(Health.UP, Health.UP);
    assertThat(board.current().health("svc")).isEqualTo(Health.UP);
  }

  @Test
  void iterate_prefixNotAssigned_goesDownAtOnceWithoutRunningTheCheck() throws Exception {
    ServiceCheck s = service(TestServices.withRiseFall(config(), 1, 3));
    check.then(pass());
    s.start(Duration.ZERO);
    s.iterate();
    table.put("lo", Set.of(P1));
    s.iterate();
    assertThat(published).containsExactly(Health.UP, Health.DOWN);
    assertThat(check.runs()).isEqualTo(1);
    assertThat(warnMessages())
        .containsExactly("status DOWN because 2001:db8::7/128 isn't assigned to lo interface");
    ServiceStatus st = s.status();
    assertThat(st.ipAssigned()).isFalse();
    assertThat(st.lastExitCode()).isEqualTo(1);
    assertThat(st.checkRuns()).isEqualTo(1);
  }

  @Test
  void iterate_missingInterface_countsAsNotAssignedAndSaysSo() throws Exception {
    ServiceCheck s = service(TestServices.withInterface(config(), "lo9", false));
    s.start(Duration.ZERO);
    s.iterate();
    assertThat(published).containsExactly(Health.DOWN);
    assertThat(warnMessages()).containsExactly(
        "interface lo9 does not exist, so no prefix can be assigned to it",
        "status DOWN because 10.52.12.1/32 isn't assigned to lo9 interface");
  }

  @Test
  void iterate_ipCheckDisabled_runsTheCheckWithoutLooking() throws Exception {
    table.clear();
    ServiceCheck s = service(TestServices.withRiseFall(TestServices.withInterface(config(), "lo", true), 1, 1));
    check.then(pass());
    s.start(Duration.ZERO);
    s.iterate();
    assertThat(published).containsExactly(Health.UP);
    assertThat(log.messages()).contains("checking for IP assignment on interface lo is disabled");
  }

  @Test
  void iterate_cannotReadInterfaces_assumesAssignedAndRunsTheCheck() throws Exception {
    IpAssignment broken = new IpAssignment(() -> {
      throw new SocketException("netlink says no");
    }, () -> 0, Duration.ZERO);
    ServiceCheck s = new ServiceCheck(TestServices.withRiseFall(config(), 1, 1), check, broken,
        board, () -> T0_NANOS);
    check.then(pass());
    s.start(Duration.ZERO);
    s.iterate();
    assertThat(published).containsExactly(Health.UP);
    assertThat(log.events().stream().filter(e -> e.getLevel() == Level.ERROR)
        .map(ILoggingEvent::getFormattedMessage))
        .singleElement().asString().startsWith("cannot tell whether 10.52.12.1/32, 2001:db8::7/128"
            + " is assigned to lo interface, assuming it is");
  }

  @Test
  void iterate_timeout_countsAndReports126() throws Exception {
    ServiceCheck s = service(config());
    check.then(timeout(), pass());
    s.start(Duration.ZERO);
    s.iterate();
    assertThat(s.status().timeouts()).isEqualTo(1);
    assertThat(s.status().lastExitCode()).isEqualTo(126);
    assertThat(log.events().stream().filter(e -> e.getLevel() == Level.ERROR)
        .map(ILoggingEvent::getFormattedMessage))
        .containsExactly("check timed out after 2.000secs, its process group was killed");
    s.iterate();
    assertThat(s.status().timeouts()).isEqualTo(1);
    assertThat(s.status().lastExitCode()).isZero();
    assertThat(s.status().lastCheckDuration()).isEqualTo(Duration.ofMillis(5));
    assertThat(s.status().checkRuns()).isEqualTo(2);
    assertThat(s.status().lastProgressNanos()).isEqualTo(T0_NANOS);
  }

  @Test
  void iterate_everyLineCarriesTheServiceFieldsInMdc() throws Exception {
    ServiceCheck s = service(TestServices.withRiseFall(config(), 1, 1));
    check.then(pass());
    s.start(Duration.ZERO);
    s.iterate();
    List<ILoggingEvent> events = log.events();
    assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.getMDCPropertyMap())
        .containsEntry("service_name", "svc")
        .containsEntry("ip_address", "10.52.12.1")
        .containsEntry("prefix_length", "32")
        .containsEntry("ip_check_disabled", "false")
        .containsKey("status"));
    assertThat(events.getFirst().getMDCPropertyMap()).containsEntry("status", "unknown");
    assertThat(events.getLast().getMDCPropertyMap()).containsEntry("status", "up");
    assertThat(org.slf4j.MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @ParameterizedTest
  @EnumSource(OnDisabled.class)
  void begin_disabled_publishesDisabledOnceAndNeverChecks(OnDisabled mode) {
    ServiceCheck s = new ServiceCheck(TestServices.disabled(config(), mode), (Check) null, ip, board,
        () -> T0_NANOS);
    assertThat(s.start(Duration.ZERO)).isFalse();
    assertThat(published).containsExactly(Health.DISABLED);
    assertThat(s.status().health()).isEqualTo(Health.DISABLED);
    assertThat(check.runs()).isZero();
    String first = mode == OnDisabled.WITHDRAW
        ? "Check is disabled and ip_prefix will be withdrawn"
        : "check is disabled, ip_prefix wont be withdrawn";
    assertThat(log.messages()).containsExactly(
        "loading check for svc", first, "check is now permanently disabled");
  }

  @Test
  void begin_withSplay_logsTheDelay() {
    service(config()).start(Duration.ofMillis(1234));
    assertThat(log.messages()).contains("delaying startup for 1.234secs");
  }

  private List<String> infoMessages() {
    return log.events().stream().filter(e -> e.getLevel() == Level.INFO)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  private List<String> warnMessages() {
    return log.events().stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void iterate_twoChecksInAllMode_failsOnOneAndShowsEachChecksResult() throws Exception {
    ScriptedCheck http = new ScriptedCheck().then(
        new CheckResult.Failed(Duration.ofMillis(3), "HTTP 503 from http://127.0.0.1/"));
    ScriptedCheck tcp = new ScriptedCheck().then(
        new CheckResult.Passed(Duration.ofMillis(1), "connected to tcp://127.0.0.1:80"));
    CheckGroup group = new CheckGroup(List.of(new CheckGroup.Member("http", http),
        new CheckGroup.Member("tcp", tcp)), net.anycast.healthchecker.config.CheckMode.ALL);
    ServiceCheck s = new ServiceCheck(config(), group, ip, board,
        java.time.InstantSource.system(), () -> T0_NANOS);
    s.start(Duration.ZERO);
    s.iterate();
    var st = s.status();
    assertThat(st.failStreak()).isEqualTo(1);
    assertThat(st.lastExitCode()).as("service_state of a failed built-in check").isEqualTo(1);
    assertThat(st.lastCheck().result()).isEqualTo("failed");
    assertThat(st.lastCheck().output()).isEqualTo("http: HTTP 503 from http://127.0.0.1/");
    assertThat(st.lastCheck().exitCode()).isEqualTo(-1);
    assertThat(st.checks()).extracting(c -> c.kind() + " " + c.result() + " " + c.reason())
        .containsExactly("http failed HTTP 503 from http://127.0.0.1/",
            "tcp passed connected to tcp://127.0.0.1:80");
    assertThat(log.messages()).contains("http check failed after 3.000ms: HTTP 503 from"
        + " http://127.0.0.1/", "1 of 2 checks passed, check_mode = all: failed");
  }
}
