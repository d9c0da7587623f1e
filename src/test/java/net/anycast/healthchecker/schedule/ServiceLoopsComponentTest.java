package net.anycast.healthchecker.schedule;

import net.anycast.healthchecker.reactor.Reactors;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.inputs.Inputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import net.anycast.healthchecker.check.CheckGroup;
import net.anycast.healthchecker.check.ExecCheck;
import net.anycast.healthchecker.check.IpAssignment;
import net.anycast.healthchecker.check.LogCapture;
import net.anycast.healthchecker.check.ServiceCheck;
import net.anycast.healthchecker.check.TestServices;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.process.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real commands through the real scheduler (reactor timers): each run blocking a virtual thread,
 * and begun on the service's reactor with no thread waiting (what the daemon does with
 * posix_spawn).
 */
@Timeout(60)
@org.junit.jupiter.params.ParameterizedClass
@org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
class ServiceLoopsComponentTest {
  private final boolean onReactor;

  ServiceLoopsComponentTest(boolean onReactor) {
    this.onReactor = onReactor;
  }

  private static final Duration FAST = Duration.ofMillis(200);

  private InputsRef board;
  private final Set<Long> started = ConcurrentHashMap.newKeySet();

  private LoopContext context() {
    ProcessRunner runner = new ProcessRunner(started::add);
    Reactors reactors = Reactors.start(2, System::nanoTime);
    return new LoopContext(new ReactorScheduler(reactors),
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()), new Random(1),
        InstantSource.system(), IpAssignment.system(),
        service -> {
          ExecCheck check = onReactor
              ? new ExecCheck(service.checkCmd().orElseThrow(), runner,
                  reactors.of(service.name()))
              : new ExecCheck(service.checkCmd().orElseThrow(), runner);
          assertThat(check.nonBlocking()).isEqualTo(onReactor);
          return CheckGroup.single("exec", check);
        },
        () -> runner.stopAll(Duration.ofSeconds(10)));
  }

  private static ServiceConfig svc(String name, String cmd, Duration timeout) {
    ServiceConfig s = TestServices.service(name, cmd, "10.255.0." + (name.length() + 1) + "/32");
    return TestServices.withTiming(TestServices.withInterface(s, "lo", true), FAST, timeout);
  }

  private ServiceLoops loops(List<ServiceConfig> services, LoopContext context) {
    board = new InputsRef(Inputs.of(services));
    return new ServiceLoops(services, Duration.ZERO, board, new DueChecks(), context);
  }

  @Test
  void realCommands_reachTheRightHealth() throws Exception {
    ServiceConfig ipMissing = TestServices.withTiming(
        TestServices.service("ip-missing", "true", "10.255.255.254/32"), FAST, FAST);
    List<ServiceConfig> services = List.of(
        svc("ok", "true", Duration.ofSeconds(5)),
        svc("bad", "false", Duration.ofSeconds(5)),
        svc("slow", "sh -c 'sleep 100 & sleep 100'", Duration.ofMillis(300)),
        svc("noisy", "sh -c \"head -c 100000 /dev/zero | tr '\\\\0' x; exit 1\"",
            Duration.ofSeconds(5)),
        ipMissing,
        TestServices.disabled(svc("off", "true", FAST), OnDisabled.ADVERTISE));
    try (LogCapture log = new LogCapture(ServiceCheck.class);
        ServiceLoops loops = loops(services, context())) {
      loops.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> board.current().healthByService().equals(Map.of(
          "ok", Health.UP, "bad", Health.DOWN, "slow", Health.DOWN, "noisy", Health.DOWN,
          "ip-missing", Health.DOWN, "off", Health.DISABLED)));
      // A check publishes its health before it updates its status snapshot (the reconciler
      // starts sooner), so the snapshot may lag the health by the rest of that iteration.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        Map<String, ServiceStatus> st = byName(loops.statuses());
        assertThat(st.get("slow").timeouts()).isGreaterThanOrEqualTo(2);
        assertThat(st.get("slow").lastExitCode()).isEqualTo(126);
        assertThat(st.get("bad").lastExitCode()).isEqualTo(1);
        assertThat(st.get("noisy").lastExitCode()).isEqualTo(1); // its lines are logged by then
        assertThat(st.get("ip-missing").checkRuns()).isZero();
        assertThat(st.get("ip-missing").ipAssigned()).isFalse();
        assertThat(st.get("ok").lastProgressNanos()).isNotZero();
        assertThat(log.messages()).anyMatch(
            m -> m.startsWith("stdout from the check xxxx") && m.endsWith("more bytes]"));
        assertThat(log.messages()).contains(
            "status DOWN because 10.255.255.254/32 isn't assigned to lo interface");
      });
    }
    assertNothingAlive();
  }

  @Test
  void runAllNow_runsTheNextIterationWithoutWaitingForItsSlot() {
    ServiceConfig hourly = TestServices.withTiming(
        svc("hourly", "true", Duration.ofSeconds(5)), Duration.ofHours(1), Duration.ofSeconds(5));
    try (ServiceLoops loops = loops(List.of(hourly), context())) {
      loops.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> loops.statuses().getFirst().checkRuns() == 1);
      loops.runAllNow();
      await().atMost(Duration.ofSeconds(10)).until(() -> loops.statuses().getFirst().checkRuns() == 2);
      assertThat(board.current().health("hourly")).isEqualTo(Health.UP);
    }
  }

  @Test
  void productionContext_runsChecks() {
    try (ServiceLoops loops = loops(List.of(svc("prod", "true", Duration.ofSeconds(5))),
        LoopContext.system(net.anycast.healthchecker.process.ChildSetup.inheritAll()))) {
      loops.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> board.current().health("prod") == Health.UP);
    }
  }

  @Test
  void close_killsTheChecksInFlight() throws Exception {
    ServiceConfig stuck = svc("stuck", "sh -c 'sleep 100 & sleep 100'", Duration.ofSeconds(60));
    ServiceLoops loops = loops(List.of(stuck), context());
    loops.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> !started.isEmpty());
    long t0 = System.nanoTime();
    loops.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertNothingAlive();
    // Killed by the daemon's own stop: not a run, and nothing about the service.
    assertThat(loops.statuses().getFirst().checkRuns()).isZero();
    assertThat(board.current().health("stuck")).isNotEqualTo(Health.DOWN);
  }

  private static Map<String, ServiceStatus> byName(List<ServiceStatus> statuses) {
    Map<String, ServiceStatus> out = new ConcurrentHashMap<>();
    statuses.forEach(s -> out.put(s.service(), s));
    return out;
  }

  /** SIGKILL lands asynchronously: a killed orphan may need a moment to finish dying. */
  private void assertNothingAlive() throws Exception {
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
        assertThat(net.anycast.healthchecker.check.ProcessTableAccess.liveInGroups(started))
            .as("live processes left").isEmpty());
  }
}
