package net.anycast.healthchecker.process;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import net.anycast.healthchecker.reactor.Reactor;
import net.anycast.healthchecker.reactor.Timer;

/**
 * One command begun by {@link ProcessRunner#begin}: no thread waits for it. Its deadline is a
 * timer of the caller's reactor; its end is seen by whoever sees the child end (the
 * {@link ChildReactor}), which reports the result right there.
 *
 * <p>The run moves RUNNING → ENDED when the command ends in time, or RUNNING → KILLED → ENDED
 * when its deadline (or {@link #stop}) comes first: the group and every descendant are killed as
 * {@link ProcessRunner#run} kills them, and the result is reported once the child has been
 * reaped and its output ended, so two runs of one check never overlap; if that takes longer than
 * {@link ProcessRunner#REAP_GRACE}, the run is reported timed out anyway and the process left to
 * the reactor. A run killed by {@link #stop} (the daemon closing) reports nothing. Each step is one compare-and-set, so the end and the deadline may race on two
 * threads and the result is still reported exactly once.
 */
final class RunInFlight {
  private static final int RUNNING = 0;
  private static final int KILLED = 1;
  private static final int ENDED = 2;

  private final Child child;
  private final long startNanos; // System.nanoTime(), for how long it took
  private final Reactor home;
  private final Consumer<ProcessResult> done;
  private final Set<RunInFlight> inFlight;
  private final AtomicInteger state = new AtomicInteger(RUNNING);
  /** Set by {@link #stop}: the result is dropped, as a blocking run's is on interrupt. */
  private volatile boolean stopped;
  private final Timer deadline = new Timer(this::deadlinePassed);
  private final Timer grace = new Timer(this::graceOver);

  RunInFlight(Child child, long startNanos, Reactor home, Consumer<ProcessResult> done,
      Set<RunInFlight> inFlight) {
    this.child = child;
    this.startNanos = startNanos;
    this.home = home;
    this.done = done;
    this.inFlight = inFlight;
  }

  /** Arms the deadline ({@code home}'s clock) and waits for the end; on the home thread. */
  void watch(long deadlineNanos) {
    inFlight.add(this);
    home.arm(deadline, deadlineNanos);
    child.whenEnded(this::ended);
  }

  /**
   * Kills the run now (the daemon is closing); from any thread. Its result is never reported:
   * a check killed by the daemon's own stop says nothing about the service.
   */
  void stop() {
    stopped = true;
    if (state.compareAndSet(RUNNING, KILLED)) {
      kill();
    }
  }

  /**
   * As the blocking run kills: descendants listed first (once the leader dies they are
   * re-parented and vanish from the list), then the group, then them.
   */
  private void kill() {
    ProcessRunner.kill(child, child.descendants(), false);
  }

  /** The child ended (reaped, output closed): on the thread that saw it. */
  private void ended() {
    if (state.compareAndSet(RUNNING, ENDED)) {
      home.runBy(Long.MAX_VALUE, () -> home.disarm(deadline)); // never worth a wake-up
      finish(child.result(took()));
    } else if (state.compareAndSet(KILLED, ENDED)) {
      home.runBy(Long.MAX_VALUE, () -> home.disarm(grace));
      finish(new ProcessResult.TimedOut(took()));
    }
  }

  /** On the home thread, at the deadline. */
  private void deadlinePassed() {
    if (!state.compareAndSet(RUNNING, KILLED)) {
      return;
    }
    // Listing descendants reads all of /proc: off the reactor, so a thousand checks timing out
    // at once do not hold every other check.
    Thread.ofVirtual().name("kill-" + child.pid()).start(this::kill);
    home.arm(grace, home.nanoTime() + ProcessRunner.REAP_GRACE.toNanos());
  }

  /** On the home thread: the killed run did not end within the grace. */
  private void graceOver() {
    if (state.compareAndSet(KILLED, ENDED)) {
      ProcessRunner.warnLeftBehind(child);
      finish(new ProcessResult.TimedOut(took()));
    }
  }

  private void finish(ProcessResult result) {
    inFlight.remove(this);
    if (!stopped) {
      done.accept(result);
    }
  }

  private Duration took() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  @Override
  public String toString() {
    return "run of process " + child.pid();
  }
}
