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
import org.junit.jupiter.api.Test;

/** The watchdog judges loops by the monotonic clock: a step of the wall clock is no stall. */
class WatchdogClockTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void tick_wallClockStepsAnHourEitherWay_isNoStall_butMonotonicSilenceIs() throws Exception {
    ServiceConfig svc = TestServices.withTiming(
        TestServices.service("foo.bar.com", "/bin/true", "10.0.0.1"),
        Duration.ofSeconds(10), Duration.ofSeconds(2)); // allowed gap 34 s
    long[] mono = {5_000_000_000L};
    Instant[] wall = {T0};
    ServiceStatus status = ServiceStatus.initial(svc.name(), svc.prefixes(), T0, mono[0],
        List.of());
    DaemonState state = new DaemonState(() -> Inputs.of(List.of(svc)),
        () -> List.of(status), List.of(), () -> wall[0], () -> mono[0], Map.of());
    try (SystemdNotifier none = SystemdNotifier.fromEnvironment(Map.of(), 42)) {
      Watchdog watchdog = new Watchdog(state::progress, none, () -> wall[0]);
      assertThat(watchdog.tick()).isEqualTo(new Watchdog.Verdict.Alive(1));

      wall[0] = T0.plus(Duration.ofHours(1)); // NTP step, or a VM resumed
      mono[0] += Duration.ofSeconds(1).toNanos();
      assertThat(watchdog.tick()).isEqualTo(new Watchdog.Verdict.Alive(1));

      wall[0] = T0.minus(Duration.ofHours(1));
      assertThat(watchdog.tick()).isEqualTo(new Watchdog.Verdict.Alive(1));

      mono[0] += Duration.ofSeconds(34).toNanos();
      assertThat(watchdog.tick()).isInstanceOf(Watchdog.Verdict.Stalled.class);
    }
  }

  @Test
  void tick_checkProcessWatcherStopsTurning_stopsThePings() throws Exception {
    long[] mono = {5_000_000_000L};
    long[] watcherTurned = {mono[0]};
    DaemonState state = new DaemonState(() -> Inputs.of(List.of()), List::of,
        List.of(), () -> T0, () -> mono[0], Map.of("check-process-watcher", () -> watcherTurned[0]));
    try (SystemdNotifier none = SystemdNotifier.fromEnvironment(Map.of(), 42)) {
      Watchdog watchdog = new Watchdog(state::progress, none, () -> T0);
      mono[0] += DaemonState.THREAD_GAP.toNanos();
      assertThat(watchdog.tick()).isEqualTo(new Watchdog.Verdict.Alive(1));
      mono[0] += 1;
      assertThat(watchdog.tick()).isInstanceOfSatisfying(Watchdog.Verdict.Stalled.class,
          s -> assertThat(s.stalled()).extracting(LoopProgress::name)
              .containsExactly("check-process-watcher"));
      watcherTurned[0] = mono[0];
      assertThat(watchdog.tick()).isEqualTo(new Watchdog.Verdict.Alive(1));
    }
  }
}
