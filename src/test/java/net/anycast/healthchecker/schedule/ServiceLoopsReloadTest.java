package net.anycast.healthchecker.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import net.anycast.healthchecker.check.Check;
import net.anycast.healthchecker.check.CheckGroup;
import net.anycast.healthchecker.check.CheckResult;
import net.anycast.healthchecker.check.IpAssignment;
import net.anycast.healthchecker.check.TestServices;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.ServiceChange;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.health.ServiceStatus;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.process.CapturedOutput;
import org.junit.jupiter.api.Test;

/**
 * A reload applied to running loops, with a manual clock: which loops go on untouched, which are
 * replaced and from which health, and that a replaced check's late result moves nothing. A
 * check passes when its command is {@code true} and fails when it is {@code false}.
 */
class ServiceLoopsReloadTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final HeldExecutor executor = new HeldExecutor();
  private final List<String> order = new ArrayList<>();
  private InputsRef inputs;

  private LoopContext context() {
    RandomGenerator half = new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return 0.5;
      }
    };
    IpAssignment everythingAssigned = new IpAssignment(Map::of, () -> 0, Duration.ZERO);
    return new LoopContext(clock, executor, half, InstantSource.fixed(Instant.EPOCH),
        everythingAssigned, s -> CheckGroup.single("exec", byCommand(s)));
  }

  private Check byCommand(ServiceConfig service) {
    return new Check() {
      @Override
      public CheckResult run(Duration timeout) {
        String cmd = service.checkCmd().orElseThrow();
        order.add(service.name() + "@" + clock.elapsed().toSeconds() + ":" + cmd);
        return cmd.equals("true") ? new CheckResult.Passed(Duration.ofMillis(1))
            : new CheckResult.Exited(Duration.ofMillis(1), 1, CapturedOutput.empty(),
                CapturedOutput.empty());
      }

      @Override
      public String describe() {
        return service.checkCmd().orElseThrow();
      }
    };
  }

  /** Returns a service checked every 10 s, rise and fall 2, IP check off. */
  private static ServiceConfig service(String name, String cmd, String prefix) {
    return TestServices.withInterface(TestServices.service(name, cmd, prefix), "lo", true);
  }

  private ServiceLoops started(ServiceConfig... services) {
    inputs = new InputsRef(Inputs.of(List.of(services)));
    ServiceLoops loops =
        new ServiceLoops(List.of(services), Duration.ZERO, inputs, new DueChecks(), context());
    loops.start();
    return loops;
  }

  private Health health(String service) {
    return inputs.current().health(service);
  }

  @Test
  void unchangedService_keepsItsSlotAndStreaks_noExtraCheck() {
    ServiceConfig a = service("a", "true", "10.0.0.1/32");
    try (ServiceLoops loops = started(a)) {
      clock.advance(Duration.ofSeconds(4)); // one pass at 0: going up 1/2
      loops.apply(List.of(new ServiceChange.Unchanged(a)), Duration.ZERO);
      clock.advance(Duration.ofSeconds(6)); // the pass at 10 completes the rise
      assertThat(order).containsExactly("a@0:true", "a@10:true");
      assertThat(health("a")).isEqualTo(Health.UP);
    }
  }

  @Test
  void changedCheck_keepsItsHealthUntilTheNewCheckFalls_onTheOldLoopsNextSlot() {
    ServiceConfig a = service("a", "true", "10.0.0.1/32");
    try (ServiceLoops loops = started(a)) {
      clock.advance(Duration.ofSeconds(14)); // passes at 0 and 10: UP
      assertThat(health("a")).isEqualTo(Health.UP);
      ServiceConfig failing = TestServices.withTiming(service("a", "false", "10.0.0.1/32"),
          Duration.ofSeconds(5), Duration.ofSeconds(2));
      loops.apply(List.of(new ServiceChange.CheckChanged(a, failing, List.of("check_cmd"))),
          Duration.ZERO);
      assertThat(health("a")).isEqualTo(Health.UP);
      clock.advance(Duration.ofSeconds(6)); // first new run at 20: going down 1/2
      assertThat(health("a")).as("one failure of fall 2").isEqualTo(Health.UP);
      clock.advance(Duration.ofSeconds(5)); // 25: down
      assertThat(order).containsExactly("a@0:true", "a@10:true", "a@20:false", "a@25:false");
      assertThat(health("a")).isEqualTo(Health.DOWN);
      assertThat(loops.statuses()).singleElement()
          .satisfies(s -> assertThat(s.checkRuns()).as("counters carried").isEqualTo(4));
    }
  }

  @Test
  void addedStartsUnknownAfterItsSplay_removedStopsAndLeavesTheInputs() {
    ServiceConfig a = service("a", "true", "10.0.0.1/32");
    ServiceConfig b = service("b", "true", "10.0.0.2/32");
    try (ServiceLoops loops = started(a)) {
      clock.advance(Duration.ofSeconds(3));
      loops.apply(List.of(new ServiceChange.Added(b), new ServiceChange.Removed(a)),
          Duration.ofSeconds(8));
      assertThat(inputs.current().healthByService()).containsExactly(
          Map.entry("b", Health.UNKNOWN));
      clock.advance(Duration.ofSeconds(20)); // b at 3 + 4 (half the splay), 17; a never again
      assertThat(order).containsExactly("a@0:true", "b@7:true", "b@17:true");
      assertThat(health("b")).isEqualTo(Health.UP);
      assertThat(loops.statuses()).extracting(ServiceStatus::service).containsExactly("b");
    }
  }

  @Test
  void replacedCheckStillRunning_itsLateResultMovesNothing() {
    ServiceConfig a = TestServices.withRiseFall(service("a", "false", "10.0.0.1/32"), 1, 1);
    try (ServiceLoops loops = started(a)) {
      executor.holding(true);
      clock.advance(Duration.ZERO); // a's first run is in flight
      ServiceConfig passing = TestServices.withRiseFall(service("a", "true", "10.0.0.1/32"), 1, 1);
      loops.apply(List.of(new ServiceChange.CheckChanged(a, passing, List.of("check_cmd"))),
          Duration.ZERO);
      executor.holding(false);
      executor.release(); // the old run fails now: it must not publish DOWN
      assertThat(health("a")).isEqualTo(Health.UNKNOWN);
      clock.advance(Duration.ZERO); // the new check's first run, on the old loop's slot 0
      assertThat(health("a")).isEqualTo(Health.UP);
      clock.advance(Duration.ofSeconds(10));
      assertThat(order).containsExactly("a@0:false", "a@0:true", "a@10:true");
    }
  }

  @Test
  void routesChanged_sameLoopAndStreaks_statusShowsTheNewPrefixes() {
    ServiceConfig a = service("a", "true", "10.0.0.1/32");
    try (ServiceLoops loops = started(a)) {
      clock.advance(Duration.ofSeconds(4)); // going up 1/2
      ServiceConfig moved = service("a", "true", "10.0.0.9/32");
      loops.apply(List.of(new ServiceChange.RoutesChanged(a, moved, List.of("ip_prefix"))),
          Duration.ZERO);
      assertThat(inputs.current().services()).containsExactly(moved);
      assertThat(loops.statuses().getFirst().prefixes())
          .containsExactly(IpPrefix.parse("10.0.0.9/32"));
      clock.advance(Duration.ofSeconds(6));
      assertThat(order).containsExactly("a@0:true", "a@10:true");
      assertThat(health("a")).isEqualTo(Health.UP);
    }
  }

  @Test
  void disabledThenEnabled_startsUnknownAndRuns_enabledThenDisabled_publishesDisabled() {
    ServiceConfig a = service("a", "true", "10.0.0.1/32");
    ServiceConfig off = TestServices.disabled(service("b", "true", "10.0.0.2/32"),
        OnDisabled.ADVERTISE);
    try (ServiceLoops loops = started(a, off)) {
      clock.advance(Duration.ofSeconds(14));
      ServiceConfig on = service("b", "true", "10.0.0.2/32");
      ServiceConfig aOff = TestServices.disabled(a, OnDisabled.WITHDRAW);
      loops.apply(List.of(new ServiceChange.CheckChanged(a, aOff, List.of("check_disabled")),
          new ServiceChange.CheckChanged(off, on, List.of("check_disabled"))), Duration.ZERO);
      assertThat(inputs.current().healthByService()).containsExactly(
          Map.entry("a", Health.DISABLED), Map.entry("b", Health.UNKNOWN));
      clock.advance(Duration.ofSeconds(10));
      assertThat(order).containsExactly("a@0:true", "a@10:true", "b@14:true", "b@24:true");
      assertThat(health("b")).isEqualTo(Health.UP);
    }
  }
}
