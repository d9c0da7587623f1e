package net.anycast.healthchecker.daemon;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd READY=1 once every reconciler ran its first pass, then keeps its STATUS= line
 * current. Polls the snapshots, so neither the loops nor the reconcilers know about systemd.
 */
final class Readiness {
  private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
  private static final Duration POLL = Duration.ofMillis(20);

  private final DaemonState state;
  private final SystemdNotifier systemd;
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private String lastStatus = "";

  Readiness(DaemonState state, SystemdNotifier systemd) {
    this.state = state;
    this.systemd = systemd;
  }

  /** Polls every 20 ms until ready, then refreshes the status line every {@code every}. */
  void schedule(ScheduledExecutorService scheduler, Duration every) {
    ScheduledFuture<?> poll = scheduler.scheduleWithFixedDelay(() -> {
      if (!ready.isDone() && state.firstPassDone()) {
        lastStatus = state.summary();
        systemd.ready(lastStatus);
        LOG.info("ready: {}", lastStatus);
        ready.complete(lastStatus);
      }
    }, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    ready.thenRun(() -> {
      poll.cancel(false);
      scheduler.scheduleWithFixedDelay(this::refresh, every.toMillis(), every.toMillis(),
          TimeUnit.MILLISECONDS);
    });
  }

  /** Runs {@code action} once, on the scheduler's thread, when the daemon has become ready. */
  void whenReady(Runnable action) {
    ready.thenRun(action);
  }

  private void refresh() {
    String status = state.summary();
    if (!status.equals(lastStatus)) {
      lastStatus = status;
      systemd.status(status);
    }
  }
}
