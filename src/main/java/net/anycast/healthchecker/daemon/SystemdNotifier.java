package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's notify protocol ({@code sd_notify(3)}): newline-separated {@code KEY=value} datagrams
 * to {@code $NOTIFY_SOCKET}. Without that variable (not started by systemd with
 * {@code Type=notify}) every call does nothing. A failed send is logged, never thrown: telling
 * systemd is not worth stopping the daemon for.
 */
public final class SystemdNotifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

  private final String address;
  private final Duration watchdogTimeout;
  private UnixDatagramSocket socket;

  private SystemdNotifier(String address, Duration watchdogTimeout) {
    this.address = address;
    this.watchdogTimeout = watchdogTimeout;
  }

  /** Returns a notifier configured from this process's environment. */
  public static SystemdNotifier fromEnvironment() {
    return fromEnvironment(System.getenv(), ProcessHandle.current().pid());
  }

  /**
   * Returns a notifier for {@code NOTIFY_SOCKET} in {@code env}, with the watchdog enabled when
   * {@code WATCHDOG_USEC} is set and {@code WATCHDOG_PID} is absent or {@code pid}.
   */
  static SystemdNotifier fromEnvironment(Map<String, String> env, long pid) {
    String address = env.get("NOTIFY_SOCKET");
    Duration watchdog = null;
    String usec = env.get("WATCHDOG_USEC");
    String watchdogPid = env.get("WATCHDOG_PID");
    if (usec != null && (watchdogPid == null || watchdogPid.equals(Long.toString(pid)))) {
      try {
        long micros = Long.parseLong(usec.strip());
        watchdog = micros > 0 ? Duration.ofNanos(micros * 1000) : null;
      } catch (NumberFormatException e) {
        LOG.warn("ignoring WATCHDOG_USEC={}: not a number", usec);
      }
    }
    return new SystemdNotifier(address == null || address.isEmpty() ? null : address, watchdog);
  }

  /** Returns whether systemd listens (NOTIFY_SOCKET is set). */
  public boolean enabled() {
    return address != null;
  }

  /**
   * Returns how often to send WATCHDOG=1: half the unit's {@code WatchdogSec}, as sd_watchdog_enabled
   * advises; empty when systemd does not expect pings.
   */
  public Optional<Duration> watchdogInterval() {
    return Optional.ofNullable(watchdogTimeout).map(t -> t.dividedBy(2));
  }

  /** Tells systemd start-up is complete (after the first reconcile pass), with a status line. */
  public void ready(String status) {
    send("READY=1\nSTATUS=" + oneLine(status));
  }

  /** Sets the one-line status {@code systemctl status} shows. */
  public void status(String status) {
    send("STATUS=" + oneLine(status));
  }

  /**
   * Tells systemd a reload began ({@code RELOADING=1}); {@link #reloaded} tells it the reload is
   * over, whatever its outcome. {@code MONOTONIC_USEC} is when it began on CLOCK_MONOTONIC, which
   * systemd 253+ uses to match the reload to the {@code systemctl reload} that asked for it.
   *
   * @param monotonicMicros CLOCK_MONOTONIC in microseconds: {@code System.nanoTime() / 1000} on
   *     Linux, where the JVM reads that clock for nanoTime
   */
  public void reloading(long monotonicMicros) {
    send("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros);
  }

  /** Tells systemd a reload is over ({@code READY=1}), whether it applied anything or not. */
  public void reloaded() {
    send("READY=1");
  }

  /** Tells systemd a clean shutdown has begun. */
  public void stopping() {
    send("STOPPING=1");
  }

  /**
   * Asks systemd for {@code more} time from now before it gives up on the current phase (here:
   * the stop, whose {@code TimeoutStopSec} a withdraw-then-grace stop may need to exceed).
   */
  public void extendTimeout(Duration more) {
    send("EXTEND_TIMEOUT_USEC=" + Math.max(1, more.toNanos() / 1000));
  }

  /** Pings the watchdog: only the {@link Watchdog} should call this. */
  public void watchdog() {
    send("WATCHDOG=1");
  }

  private static String oneLine(String text) {
    return text.replace('\n', ' ');
  }

  private synchronized void send(String message) {
    if (address == null) {
      return;
    }
    try {
      if (socket == null) {
        socket = UnixDatagramSocket.open();
      }
      socket.send(address, message.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("failed to notify systemd at {}: {}", address, e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}
