package net.anycast.healthchecker.daemon;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings systemd's watchdog only while every service loop and the reconciler make progress, so a
 * stuck loop (which would leave a route announced for a dead service) gets the daemon restarted.
 * Call {@link #tick()} every {@link SystemdNotifier#watchdogInterval()}.
 */
public final class Watchdog {
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

  private final Function<Instant, List<LoopProgress>> progress;
  private final SystemdNotifier notifier;
  private final InstantSource clock;
  private boolean reportedStall;

  /** The outcome of one look at the loops. */
  public sealed interface Verdict {
    record Alive(int loops) implements Verdict {}

    record Stalled(List<LoopProgress> stalled) implements Verdict {}
  }

  /**
   * @param progress every loop's progress as a time of day relative to the instant given, its
   *     age measured on the monotonic clock (so a step of {@code clock} is no stall)
   */
  public Watchdog(Function<Instant, List<LoopProgress>> progress, SystemdNotifier notifier,
      InstantSource clock) {
    this.progress = progress;
    this.notifier = notifier;
    this.clock = clock;
  }

  /** Returns whether every loop made progress within its allowed gap at {@code now}. */
  public static Verdict judge(List<LoopProgress> loops, Instant now) {
    List<LoopProgress> stalled = loops.stream().filter(l -> l.stalled(now)).toList();
    return stalled.isEmpty() ? new Verdict.Alive(loops.size()) : new Verdict.Stalled(stalled);
  }

  /** Looks at the loops, pings systemd if all are alive, and returns what it saw. */
  public synchronized Verdict tick() {
    Instant now = clock.instant();
    Verdict verdict = judge(progress.apply(now), now);
    switch (verdict) {
      case Verdict.Alive a -> {
        if (reportedStall) {
          LOG.info("every loop makes progress again");
          reportedStall = false;
        }
        notifier.watchdog();
      }
      case Verdict.Stalled s -> {
        if (!reportedStall) {
          // Logged once per stall; systemd restarts us when WatchdogSec passes without a ping.
          for (LoopProgress loop : s.stalled()) {
            LOG.error("{} made no progress since {} ({} late); not pinging the systemd watchdog",
                loop.name(), loop.lastProgress(), loop.lateness(now));
          }
          reportedStall = true;
        }
      }
    }
    return verdict;
  }
}
