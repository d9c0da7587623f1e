package net.anycast.healthchecker.override;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import net.anycast.healthchecker.logging.LogFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Publishes the active drains of a spool directory whenever they change: at start, within a
 * second of a file event, and at the moment a drain expires.
 *
 * <p>Every rescan reads the whole directory (a handful of small files) and compares, so events
 * need no interpretation: the kernel's events ({@link InotifyEvents}) only ask for a rescan soon,
 * and a timer asks at least every {@link #RESCAN_EVERY}, which catches what events miss. The
 * timer also fires at the earliest expiration: expirations are wall-clock Unix times, hence the
 * {@link InstantSource}. An expired file is deleted, as hacheck does when it reads one.
 *
 * <p>Rescans run one at a time on the timer's thread (and {@link #start()} on the caller's).
 * Nothing escapes a rescan: a failure is logged and the next rescan tries again, because the
 * daemon must never stop over a spool file.
 */
public final class SpoolWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolWatcher.class);
  static final Duration RESCAN_EVERY = Duration.ofSeconds(1);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  /** When rescans run: a one-shot timer. Production wraps a scheduled executor; tests move time. */
  @FunctionalInterface
  interface Timer {
    /** Runs {@code task} once after {@code delay}; returns what cancels it. */
    Runnable schedule(Duration delay, Runnable task);
  }

  private final SpoolDirectory directory;
  private final Consumer<Drains> publish;
  private final InstantSource clock;
  private final Timer timer;
  private final DirectoryEvents events;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean rescanQueued = new AtomicBoolean();
  private volatile boolean closed;
  // Guarded by lock:
  private boolean publishedOnce;
  private Runnable cancelWakeUp = () -> {};
  private Drains read = Drains.none(); // as last read, expired ones included
  private Drains published = Drains.none();
  private Set<String> warnings = Set.of();
  private final Set<Drain> undeletable = new HashSet<>();
  private boolean directoryPresent = true; // assumed, so that only a missing one is logged at start

  /**
   * Watches {@code directory}, giving {@code publish} each new snapshot of active drains, on
   * {@code executor}'s thread (which the caller owns, and shuts down after {@link #close()}).
   */
  public SpoolWatcher(SpoolDirectory directory, Consumer<Drains> publish, InstantSource clock,
      ScheduledExecutorService executor) {
    this(directory, publish, clock, executorTimer(executor), new InotifyEvents(directory.path()));
  }

  SpoolWatcher(SpoolDirectory directory, Consumer<Drains> publish, InstantSource clock,
      Timer timer, DirectoryEvents events) {
    this.directory = directory;
    this.publish = publish;
    this.clock = clock;
    this.timer = timer;
    this.events = events;
  }

  private static Timer executorTimer(ScheduledExecutorService executor) {
    return (delay, task) -> {
      ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }

  /**
   * Reads the directory, publishes what it finds, starts watching, and returns the first
   * snapshot. Called before the daemon's first pass, so a drained service is never announced.
   */
  public Drains start() {
    events.start(this::requestRescan); // first, so no change after the read goes unnoticed
    rescan();
    lock.lock();
    try {
      return published;
    } finally {
      lock.unlock();
    }
  }

  /** Asks for a rescan as soon as the timer can; many requests before it runs make one. */
  private void requestRescan() {
    if (closed || !rescanQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      timer.schedule(Duration.ZERO, () -> {
        rescanQueued.set(false);
        rescan();
      });
    } catch (RuntimeException e) {
      rescanQueued.set(false); // a timer shut down under us; the next event tries again
      LOG.debug("cannot schedule a spool rescan: {}", e.toString());
    }
  }

  /** Reads the directory, ends what expired, logs and publishes changes, sets the next wake-up. */
  private void rescan() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Instant now = clock.instant();
      try {
        rescanAt(now);
      } catch (RuntimeException e) {
        LOG.warn("reading spool directory {} failed; trying again shortly", directory.path(), e);
      }
      scheduleWakeUp(now);
    } finally {
      lock.unlock();
    }
  }

  private void rescanAt(Instant now) {
    noteDirectoryPresence();
    List<String> found = new ArrayList<>();
    read = directory.read(read, found::add);
    warnNew(found);
    Drains active = read.activeAt(now);
    deleteExpired(active);
    if (publishedOnce && active.equals(published)) {
      return;
    }
    for (DrainChange change : DrainChange.between(published, active, read, now)) {
      report(change);
    }
    published = active;
    publishedOnce = true;
    try {
      publish.accept(active);
    } catch (RuntimeException e) {
      LOG.error("publishing the drains of spool directory {} failed", directory.path(), e);
    }
  }

  private void noteDirectoryPresence() {
    boolean present = Files.isDirectory(directory.path());
    if (present == directoryPresent) {
      return;
    }
    if (present) {
      LOG.info("spool directory {} appeared", directory.path());
    } else {
      LOG.info("spool directory {} does not exist; no drains while it does not", directory.path());
    }
    directoryPresent = present;
  }

  /** Logs each warning once while it lasts: the directory is read every second. */
  private void warnNew(List<String> found) {
    Set<String> now = new LinkedHashSet<>(found);
    for (String w : now) {
      if (!warnings.contains(w)) {
        LOG.warn("{}", w);
      }
    }
    warnings = now;
  }

  /** Deletes the files of drains read but no longer active; each failure is logged once. */
  private void deleteExpired(Drains active) {
    Set<Drain> expired = new HashSet<>(read.all().values());
    expired.removeAll(active.all().values());
    undeletable.retainAll(expired);
    for (Drain d : expired) {
      if (undeletable.contains(d)) {
        continue;
      }
      try {
        if (directory.removeIfUnchanged(d)) {
          LOG.debug("deleted expired spool file {}", directory.fileFor(d.spoolName()));
        }
      } catch (IOException | RuntimeException e) {
        undeletable.add(d);
        LOG.warn("cannot delete expired spool file {} ({}); the drain has ended all the same",
            directory.fileFor(d.spoolName()), e.toString());
      }
    }
  }

  private void report(DrainChange change) {
    Drain d = change.drain();
    MDC.put(LogFields.DRAIN_EVENT, change.kind().word());
    MDC.put(LogFields.DRAIN_NAME, d.spoolName());
    MDC.put(LogFields.DRAIN_REASON, d.reason());
    d.expiration().ifPresent(t -> MDC.put(LogFields.DRAIN_EXPIRATION, t.toString()));
    try {
      LOG.info("{}", change.message(directory.fileFor(d.spoolName())));
    } finally {
      MDC.remove(LogFields.DRAIN_EVENT);
      MDC.remove(LogFields.DRAIN_NAME);
      MDC.remove(LogFields.DRAIN_REASON);
      MDC.remove(LogFields.DRAIN_EXPIRATION);
    }
  }

  /** Wakes at the next expiration, or after {@link #RESCAN_EVERY} when that comes first. */
  private void scheduleWakeUp(Instant now) {
    cancelWakeUp.run();
    cancelWakeUp = () -> {};
    if (closed) {
      return;
    }
    Duration delay = RESCAN_EVERY;
    var next = published.nextExpiry();
    if (next.isPresent() && Duration.between(now, next.get()).compareTo(delay) < 0) {
      delay = Duration.between(now, next.get()); // positive: active drains expire after now
    }
    try {
      cancelWakeUp = timer.schedule(delay, this::rescan);
    } catch (RuntimeException e) {
      // A timer shut down under us (daemon stopping): nothing is left to wake.
      LOG.debug("cannot schedule the next spool rescan: {}", e.toString());
    }
  }

  /** Stops watching and cancels the timer; waits up to two seconds for a rescan in flight. */
  @Override
  public void close() {
    closed = true; // a rescan in flight sets no new wake-up
    events.close();
    try {
      if (!lock.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("a spool rescan is still running after {}; leaving it", CLOSE_WAIT);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      cancelWakeUp.run();
    } finally {
      lock.unlock();
    }
  }
}
