package net.anycast.healthchecker.daemon;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import net.anycast.healthchecker.bird.Reconciler;
import net.anycast.healthchecker.config.ShutdownConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stop of {@code on_shutdown = withdraw}: the inputs already say "stopping, withdraw all"
 * (the reconcilers are at it); wait until every reconciler confirmed a pass of those inputs, then
 * {@code shutdown_grace} so traffic drains away before the services behind the routes stop.
 *
 * <p>Both waits are bounded and a second SIGTERM ends them at once. When BIRD never confirms
 * (it is down, say) the daemon gives up after {@link #CONFIRM_LIMIT} and exits with the routes as
 * BIRD has them: a stop that never ends would leave the unit hanging until systemd kills it.
 */
final class WithdrawOnStop {
  private static final Logger LOG = LoggerFactory.getLogger(WithdrawOnStop.class);
  /** How long to wait for BIRD to confirm the withdrawal. */
  static final Duration CONFIRM_LIMIT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(10);

  private final List<Reconciler> reconcilers;
  private final StopRequest stop;
  private final LongSupplier nanoTime;

  WithdrawOnStop(List<Reconciler> reconcilers, StopRequest stop, LongSupplier nanoTime) {
    this.reconcilers = List.copyOf(reconcilers);
    this.stop = stop;
    this.nanoTime = nanoTime;
  }

  /** Returns how long this stop may take at most: for systemd's stop timeout. */
  static Duration longest(ShutdownConfig config) {
    return CONFIRM_LIMIT.plus(config.grace());
  }

  /**
   * Waits for the withdrawal of the inputs of {@code version}, then the grace. Returns true when
   * BIRD confirmed the withdrawal.
   */
  boolean run(long version, Duration grace) throws InterruptedException {
    long start = nanoTime.getAsLong();
    boolean confirmed = false;
    while (!stop.forced()) {
      confirmed = reconcilers.stream().allMatch(r -> r.status().applied(version));
      if (confirmed || nanoTime.getAsLong() - start >= CONFIRM_LIMIT.toNanos()) {
        break;
      }
      stop.awaitForced(POLL);
    }
    long ms = (nanoTime.getAsLong() - start) / 1_000_000;
    if (stop.forced()) {
      LOG.warn("asked to exit now: not waiting any longer for the withdrawal (after {} ms)", ms);
      return confirmed;
    }
    if (!confirmed) {
      LOG.error("BIRD did not confirm the withdrawal of every prefix within {}s; exiting with"
          + " the routes as BIRD has them", CONFIRM_LIMIT.toSeconds());
      return false;
    }
    LOG.info("BIRD confirmed the withdrawal of every prefix in {} ms", ms);
    if (grace.isPositive()) {
      LOG.info("waiting shutdown_grace {} ms for traffic to drain away", grace.toMillis());
      if (stop.awaitForced(grace)) {
        LOG.warn("asked to exit now: shutdown_grace cut short");
      }
    }
    return true;
  }
}
