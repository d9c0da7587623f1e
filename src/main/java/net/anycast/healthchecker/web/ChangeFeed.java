package net.anycast.healthchecker.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import net.anycast.healthchecker.bird.ReconcilerStatus;
import net.anycast.healthchecker.inputs.Inputs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns changes of the inputs and of the reconcilers into events on the {@link EventHub}.
 *
 * <p>Publishers only call {@link #wake()}, which costs a flag when a look is pending already; one
 * thread of its own compares the latest snapshots with the last ones it reported (see {@link
 * ChangeEvents}), so a burst of thousands of health changes never slows a check or a pass.
 */
final class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  // Folds a burst into one look, and keeps the page's refreshes to a few a second.
  private static final long COALESCE_MILLIS = 50;

  private final Supplier<ApiSnapshot> snapshot;
  private final EventHub hub;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("api-events").daemon().factory());
  private final AtomicBoolean pending = new AtomicBoolean();
  // Touched only on the feed's thread (set here before any task of it is submitted).
  private Inputs lastInputs;
  private List<ReconcilerStatus> lastFamilies;

  /** @param snapshot read once per look: inputs and reconcilers of one moment */
  ChangeFeed(Supplier<ApiSnapshot> snapshot, EventHub hub) {
    this.snapshot = snapshot;
    this.hub = hub;
    ApiSnapshot first = snapshot.get();
    this.lastInputs = first.inputs();
    this.lastFamilies = first.families();
  }

  /** Asks for a look soon; cheap, callable from any thread. */
  void wake() {
    if (pending.compareAndSet(false, true)) {
      try {
        thread.schedule(this::look, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        pending.set(false); // closed
      }
    }
  }

  private void look() {
    pending.set(false);
    try {
      ApiSnapshot look = snapshot.get();
      Inputs now = look.inputs();
      List<ChangeEvents.Change> changes = new ArrayList<>();
      if (now != lastInputs) {
        changes.addAll(ChangeEvents.between(lastInputs, now));
        lastInputs = now;
      }
      List<ReconcilerStatus> fams = look.families();
      for (int i = 0; i < fams.size(); i++) {
        ReconcilerStatus before = i < lastFamilies.size() ? lastFamilies.get(i) : null;
        if (before != fams.get(i)) {
          changes.addAll(ChangeEvents.between(before, fams.get(i), look::wallTime));
        }
      }
      lastFamilies = fams;
      changes.forEach(c -> hub.publish(c.type(), c.json()));
    } catch (RuntimeException e) {
      LOG.error("failed to turn a change into events", e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
