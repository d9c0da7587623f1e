package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.net.IpFamily;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall clock of a running daemon stepped an hour forward, then an hour back, as NTP or a
 * resumed VM would. Stepping the machine's clock would touch everyone on a shared machine, and a
 * time namespace ({@code unshare --time}) offsets only the monotonic and boot clocks, once, before
 * its first process: so the daemon runs under libfaketime ({@code LD_PRELOAD}, Debian's
 * {@code faketime}), which steps CLOCK_REALTIME for this process alone when the test rewrites its
 * offset file, and leaves CLOCK_MONOTONIC alone ({@code FAKETIME_DONT_FAKE_MONOTONIC}). Checks get
 * a clean environment, so they run on the real clock.
 *
 * <p>What must hold: the systemd watchdog keeps being pinged within its limit, and a service's
 * failure and recovery still reach the BGP peer promptly after each step.
 */
@Tag("e2e")
@Timeout(120)
class DaemonClockStepEndToEndTest {
  private static final Path FAKETIME =
      Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration PROMPT = Duration.ofSeconds(5);
  private static final Pattern LOG_TIME =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d),\\d{3} ", Pattern.MULTILINE);

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();

  @Test
  void wallClockSteppedAnHourForwardThenBack_watchdogKeepsBeingPinged_routesStillFollowChecks()
      throws Exception {
    Assumptions.assumeTrue(Files.exists(FAKETIME),
        "libfaketime is missing (apt-get install faketime; bin/test installs it)");
    try (BgpTestbed t = BgpTestbed.start(BgpTestbed.Node.BIRD2, dir.resolve("bird"),
        List.copyOf(DaemonRoutesEndToEndTest.set("10.9.1.1", "10.9.1.2")));
        NotifySocket systemd = NotifySocket.open(dir.resolve("notify"))) {
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .service("a", "10.9.1.1").service("b", "10.9.1.2");
      Path offset = dir.resolve("faketime.rc");
      Files.writeString(offset, "+0\n");
      DaemonProcess d = daemons.start(t, setup, Map.of(
          "LD_PRELOAD", FAKETIME.toString(), "FAKETIME_TIMESTAMP_FILE", offset.toString(),
          "FAKETIME_NO_CACHE", "1", "FAKETIME_DONT_FAKE_MONOTONIC", "1",
          "NOTIFY_SOCKET", systemd.address(), "WATCHDOG_USEC", "2000000")).awaitReady();
      t.awaitPeerRoutes(IpFamily.IPV4, DaemonRoutesEndToEndTest.set("10.9.1.1", "10.9.1.2"), WAIT);

      Files.writeString(offset, "+1h\n");
      await("the daemon's log shows the step").atMost(WAIT)
          .until(() -> logSpan(d.log()).compareTo(Duration.ofMinutes(50)) > 0);
      Duration pingGapForward = systemd.longestPingGap(Duration.ofSeconds(3));
      setup.fail("a");
      Duration down = t.awaitPeerRoutes(IpFamily.IPV4, DaemonRoutesEndToEndTest.set("10.9.1.2"),
          WAIT);

      Files.writeString(offset, "-1h\n"); // an hour behind the real clock: two hours back
      Duration pingGapBack = systemd.longestPingGap(Duration.ofSeconds(3));
      setup.recover("a");
      Duration up = t.awaitPeerRoutes(IpFamily.IPV4,
          DaemonRoutesEndToEndTest.set("10.9.1.1", "10.9.1.2"), WAIT);

      System.out.printf("daemon e2e wall clock +1 h then -2 h: longest watchdog gap %d / %d ms;"
          + " withdrawn %d ms, announced %d ms after the flag%n", pingGapForward.toMillis(),
          pingGapBack.toMillis(), down.toMillis(), up.toMillis());
      assertThat(pingGapForward).isLessThan(Duration.ofSeconds(2));
      assertThat(pingGapBack).isLessThan(Duration.ofSeconds(2));
      assertThat(down).isLessThan(PROMPT);
      assertThat(up).isLessThan(PROMPT);
      assertThat(d.isAlive()).isTrue();
      assertThat(d.log()).doesNotContain("made no progress").doesNotContain("Exception");
    }
  }

  /** Returns the span between the earliest and the latest timestamp of the daemon's log. */
  private static Duration logSpan(String log) {
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    Matcher m = LOG_TIME.matcher(log);
    LocalDateTime lo = null;
    LocalDateTime hi = null;
    while (m.find()) {
      LocalDateTime at = LocalDateTime.parse(m.group(1), f);
      lo = lo == null || at.isBefore(lo) ? at : lo;
      hi = hi == null || at.isAfter(hi) ? at : hi;
    }
    return lo == null ? Duration.ZERO : Duration.between(lo, hi);
  }

  /** A stand-in for systemd's notify socket that notes when each WATCHDOG=1 arrives. */
  private static final class NotifySocket implements AutoCloseable {
    private final UnixDatagramSocket socket;
    private final String address;
    private final List<Long> pings = new ArrayList<>(); // guarded by itself
    private final Thread receiver;

    private NotifySocket(UnixDatagramSocket socket, String address) {
      this.socket = socket;
      this.address = address;
      this.receiver = Thread.ofPlatform().name("systemd").daemon().start(this::receive);
    }

    static NotifySocket open(Path path) throws IOException {
      UnixDatagramSocket s = UnixDatagramSocket.open();
      s.bind(path.toString());
      return new NotifySocket(s, path.toString());
    }

    String address() {
      return address;
    }

    private void receive() {
      while (true) {
        String text;
        try {
          text = new String(socket.receive(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return;
        }
        if (text.equals("END")) {
          return;
        }
        if (text.equals("WATCHDOG=1")) {
          synchronized (pings) {
            pings.add(System.nanoTime());
          }
        }
      }
    }

    /** Watches for {@code window} (test time); returns the longest gap between pings in it. */
    Duration longestPingGap(Duration window) throws InterruptedException {
      long from = System.nanoTime();
      Thread.sleep(window.toMillis()); // the window watched; the pings come by themselves
      long to = System.nanoTime();
      long last = from;
      long longest = 0;
      synchronized (pings) {
        for (long at : pings) {
          if (at >= from && at <= to) {
            longest = Math.max(longest, at - last);
            last = at;
          }
        }
      }
      return Duration.ofNanos(Math.max(longest, to - last));
    }

    @Override
    public void close() throws Exception {
      try (UnixDatagramSocket self = UnixDatagramSocket.open()) {
        self.send(address, "END".getBytes(StandardCharsets.UTF_8));
      }
      receiver.join(Duration.ofSeconds(10));
      socket.close();
    }
  }
}
