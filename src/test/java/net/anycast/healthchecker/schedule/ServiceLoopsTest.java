package net.anycast.healthchecker.schedule;

import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.inputs.Inputs;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.InstantSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import net.anycast.healthchecker.check.Check;
import net.anycast.healthchecker.check.CheckGroup;
import net.anycast.healthchecker.check.CheckResult;
import net.anycast.healthchecker.check.IpAssignment;
import net.anycast.healthchecker.check.TestServices;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.health.ServiceStatus;
import org.junit.jupiter.api.Test;

/** All loops together, with a manual clock and inline execution. */
class ServiceLoopsTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final HeldExecutor executor = new HeldExecutor();
  private InputsRef board;
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final List<String> order = new ArrayList<>();
  private double random = 0.25;

  private LoopContext context() {
    RandomGenerator fixed = new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return random;
      }
    };
    IpAssignment everythingAssigned = new IpAssignment(Map::of, () -> 0, Duration.ZERO);
    return new LoopContext(clock, executor, fixed, InstantSource.fixed(Instant.EPOCH),
        everythingAssigned, s -> CheckGroup.single("exec", passing(s)));
  }

  private Check passing(ServiceConfig service) {
    return new Check() {
      @Override
      public CheckResult run(Duration timeout) {
        runs.computeIfAbsent(service.name(), n -> new AtomicInteger()).incrementAndGet();
        order.add(service.name() + "@" + clock.elapsed().toSeconds());
        return new CheckResult.Passed(Duration.ofMillis(1));
      }

      @Override
      public String describe() {
        return "pass";
      }
    };
  }

  private static ServiceConfig service(String name) {
    ServiceConfig s = TestServices.service(name, "true", "10.0.0." + (name.hashCode() & 0x7f) + "/32");
    return TestServices.withRiseFall(TestServices.withInterface(s, "lo", true), 1, 1);
  }

  private ServiceLoops loops(Duration splay, ServiceConfig... services) {
    return loops(context(), splay, services);
  }

  private ServiceLoops loops(LoopContext c, Duration splay, ServiceConfig... services) {
    board = new InputsRef(Inputs.of(List.of(services)));
    return new ServiceLoops(List.of(services), splay, board, new DueChecks(), c);
  }

  /** Returns the health every service published (those still UNKNOWN left out). */
  private Map<String, Health> published() {
    Map<String, Health> out = new java.util.LinkedHashMap<>(board.current().healthByService());
    out.values().removeIf(h -> h == Health.UNKNOWN);
    return out;
  }

  @Test
  void start_disabledPublishesOnce_enabledRunOnTheirSlots() {
    try (ServiceLoops loops = loops(Duration.ZERO, service("a"), service("b"),
        TestServices.disabled(service("c"), OnDisabled.ADVERTISE))) {
      loops.start();
      assertThat(published()).containsExactly(Map.entry("c", Health.DISABLED));
      clock.advance(Duration.ofSeconds(10));
      assertThat(order).containsExactlyInAnyOrder("a@0", "b@0", "a@10", "b@10");
      assertThat(runs).doesNotContainKey("c");
      assertThat(published()).containsEntry("a", Health.UP).containsEntry("b", Health.UP);
      assertThat(loops.statuses()).extracting(ServiceStatus::service).containsExactly("a", "b", "c");
      assertThat(loops.statuses()).extracting(ServiceStatus::health)
          .containsExactly(Health.UP, Health.UP, Health.DISABLED);
    }
  }

  @Test
  void start_withSplay_delaysEachFirstCheckByItsRandomShare() {
    random = 0.25;
    try (ServiceLoops loops = loops(Duration.ofSeconds(8), service("a"))) {
      loops.start();
      clock.advance(Duration.ofMillis(1_999));
      assertThat(order).isEmpty();
      clock.advance(Duration.ofMillis(10_001));
      assertThat(order).containsExactly("a@2", "a@12");
    }
  }

  @Test
  void start_slowStart_stillPutsEveryLoopOnTheSameSlots() {
    // A clock that moves 1 ms at every read, as a start-up under load would see it.
    List<Long> firstSlots = new ArrayList<>();
    Scheduler slowStart = new Scheduler() {
      private long reads;

      @Override
      public long nanoTime() {
        return clock.nanoTime() + Duration.ofMillis(++reads).toNanos();
      }

      @Override
      public Scheduled schedule(long atNanos, Runnable task) {
        firstSlots.add(atNanos);
        return clock.schedule(atNanos, task);
      }

      @Override
      public void close() {
        clock.close();
      }
    };
    LoopContext c = context();
    LoopContext slow = new LoopContext(slowStart, c.executor(), c.random(), c.clock(), c.ip(),
        c.checks());
    try (ServiceLoops loops = loops(slow, Duration.ZERO, service("a"), service("b"),
        service("c"))) {
      loops.start();
      assertThat(firstSlots).hasSize(3);
      assertThat(Set.copyOf(firstSlots)).as("one slot 0 for all").hasSize(1);
    }
  }

  @Test
  void runAllNow_runsEveryEnabledLoopNowAndKeepsTheirSlots() {
    try (ServiceLoops loops = loops(Duration.ZERO, service("a"), service("b"))) {
      loops.start();
      clock.advance(Duration.ofSeconds(4));
      order.clear();
      loops.runAllNow();
      clock.advance(Duration.ofSeconds(6));
      assertThat(order).containsExactlyInAnyOrder("a@4", "b@4", "a@10", "b@10");
    }
  }

  @Test
  void close_stopsEverythingAndIsIdempotent() {
    ServiceLoops loops = loops(Duration.ZERO, service("a"));
    loops.start();
    clock.advance(Duration.ZERO);
    loops.close();
    loops.close();
    loops.runAllNow();
    clock.advance(Duration.ofSeconds(100));
    assertThat(order).containsExactly("a@0");
    assertThat(executor.isShutdown()).isTrue();
    assertThat(clock.pending()).isZero();
  }

  @Test
  void fiveThousandServices_startAndRunOneRoundQuickly() {
    ServiceConfig[] many = new ServiceConfig[5_000];
    for (int i = 0; i < many.length; i++) {
      many[i] = service("svc" + i);
    }
    long t0 = System.nanoTime();
    try (ServiceLoops loops = loops(Duration.ofSeconds(10), many)) {
      loops.start();
      long started = System.nanoTime();
      clock.advance(Duration.ofSeconds(10));
      long ran = System.nanoTime();
      System.out.printf("5000 loops: start %d ms, one round of fake checks %d ms%n",
          (started - t0) / 1_000_000, (ran - started) / 1_000_000);
      assertThat(runs).hasSize(5_000);
      assertThat(clock.pending()).isEqualTo(5_000);
      assertThat(Duration.ofNanos(started - t0)).isLessThan(Duration.ofSeconds(10));
    }
  }
}
