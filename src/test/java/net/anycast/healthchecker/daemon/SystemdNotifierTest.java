package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30) // receive() blocks: a missing datagram must fail the test, not hang the build
class SystemdNotifierTest {
  @TempDir Path dir;

  private static String receive(UnixDatagramSocket socket) throws IOException {
    return new String(socket.receive(), StandardCharsets.UTF_8);
  }

  @Test
  void notify_abstractSocket_receivesProtocolMessages() throws IOException {
    String address = "@ahc-test-" + UUID.randomUUID();
    try (UnixDatagramSocket systemd = UnixDatagramSocket.open();
        SystemdNotifier notifier =
            SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", address), 42)) {
      systemd.bind(address);
      notifier.ready("3 services: 2 up, 1 down; IPv4 4 prefixes applied");
      notifier.status("line one\nline two");
      notifier.watchdog();
      notifier.stopping();
      assertThat(receive(systemd))
          .isEqualTo("READY=1\nSTATUS=3 services: 2 up, 1 down; IPv4 4 prefixes applied");
      assertThat(receive(systemd)).isEqualTo("STATUS=line one line two");
      assertThat(receive(systemd)).isEqualTo("WATCHDOG=1");
      assertThat(receive(systemd)).isEqualTo("STOPPING=1");
      assertThat(notifier.enabled()).isTrue();
      assertThat(notifier.watchdogInterval()).isEmpty();
    }
  }

  @Test
  void reload_reloadingWithMonotonicTime_thenReady() throws IOException {
    String address = "@ahc-test-" + UUID.randomUUID();
    try (UnixDatagramSocket systemd = UnixDatagramSocket.open();
        SystemdNotifier notifier =
            SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", address), 42)) {
      systemd.bind(address);
      notifier.reloading(123_456_789L);
      notifier.reloaded();
      assertThat(receive(systemd)).isEqualTo("RELOADING=1\nMONOTONIC_USEC=123456789");
      assertThat(receive(systemd)).isEqualTo("READY=1");
    }
  }

  @Test
  void notify_pathSocket_receivesMessages() throws IOException {
    String address = dir.resolve("notify").toString();
    try (UnixDatagramSocket systemd = UnixDatagramSocket.open();
        SystemdNotifier notifier =
            SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", address), 42)) {
      systemd.bind(address);
      notifier.ready("up");
      assertThat(receive(systemd)).isEqualTo("READY=1\nSTATUS=up");
    }
  }

  @Test
  void noNotifySocket_everyCallIsANoOp() {
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of(), 42);
    assertThat(notifier.enabled()).isFalse();
    notifier.ready("x");
    notifier.watchdog();
    notifier.stopping();
  }

  @Test
  void watchdogUsec_givesHalfAsPingInterval_onlyForOurPid() {
    assertThat(SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "30000000"), 42)
            .watchdogInterval())
        .contains(Duration.ofSeconds(15));
    assertThat(SystemdNotifier.fromEnvironment(
                Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42"), 42)
            .watchdogInterval())
        .contains(Duration.ofSeconds(15));
    assertThat(SystemdNotifier.fromEnvironment(
                Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7"), 42)
            .watchdogInterval())
        .isEmpty();
  }

  @Test
  void unreachableSocket_sendFailureIsNotThrown() {
    try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(
        Map.of("NOTIFY_SOCKET", dir.resolve("nobody-listens").toString()), 42)) {
      notifier.ready("x");
    }
  }

  @Test
  void watchdog_pingsOnlyWhileEveryLoopProgresses() throws IOException {
    String address = "@ahc-test-" + UUID.randomUUID();
    Instant start = Instant.parse("2026-11-22T10:00:00Z");
    Instant[] now = {start};
    List<LoopProgress> loops = new ArrayList<>(List.of(
        new LoopProgress("foo.bar.com", start, Duration.ofSeconds(30)),
        new LoopProgress(LoopProgress.RECONCILER, start, Duration.ofSeconds(60))));
    try (UnixDatagramSocket systemd = UnixDatagramSocket.open();
        SystemdNotifier notifier =
            SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", address), 42)) {
      systemd.bind(address);
      Watchdog watchdog = new Watchdog(at -> List.copyOf(loops), notifier, () -> now[0]);

      assertThat(watchdog.tick()).isEqualTo(new Watchdog.Verdict.Alive(2));
      assertThat(receive(systemd)).isEqualTo("WATCHDOG=1");

      now[0] = start.plusSeconds(31);
      assertThat(watchdog.tick()).isInstanceOfSatisfying(Watchdog.Verdict.Stalled.class,
          s -> assertThat(s.stalled()).extracting(LoopProgress::name).containsExactly("foo.bar.com"));

      loops.set(0, new LoopProgress("foo.bar.com", now[0], Duration.ofSeconds(30)));
      assertThat(watchdog.tick()).isEqualTo(new Watchdog.Verdict.Alive(2));
      // The only datagram after the first ping: nothing was sent while stalled.
      assertThat(receive(systemd)).isEqualTo("WATCHDOG=1");
    }
  }

  @Test
  void judge_atExactlyTheAllowedGap_isAlive_oneNanoLater_isStalled() {
    Instant t = Instant.parse("2026-11-22T10:00:00Z");
    List<LoopProgress> one = List.of(new LoopProgress("a", t, Duration.ofSeconds(10)));
    assertThat(Watchdog.judge(one, t.plusSeconds(10))).isInstanceOf(Watchdog.Verdict.Alive.class);
    assertThat(Watchdog.judge(one, t.plusSeconds(10).plusNanos(1)))
        .isInstanceOf(Watchdog.Verdict.Stalled.class);
    assertThat(Watchdog.judge(List.of(), t)).isEqualTo(new Watchdog.Verdict.Alive(0));
  }

  @Test
  void allowedGapFor_isTwoSlotsWithTimeoutsPlusSlack() {
    assertThat(LoopProgress.allowedGapFor(Duration.ofSeconds(10), Duration.ofSeconds(2)))
        .isEqualTo(Duration.ofSeconds(34));
  }
}
