package net.anycast.healthchecker.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import net.anycast.healthchecker.reactor.Reactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command without a shell, in a session of its own, and never leaves it behind.
 *
 * <p>The command is started by a {@link Spawner} in a new session ({@link SpawnMethod#POSIX_SPAWN}:
 * one {@code posix_spawnp}; {@link SpawnMethod#JDK}: {@code setsid -- <argv…>} behind a gate
 * shell, through {@link ProcessBuilder}): its pid is its process-group id, so on a timeout (or
 * when the caller is interrupted) SIGKILL goes to the whole group, then to every descendant seen
 * just before (in case one moved to another group), and the direct child is reaped before
 * {@link #run} returns; runs of one caller therefore never overlap. A runner made by
 * {@link #terminatingFirst} sends the group SIGTERM first and SIGKILL only to what is left after a
 * grace. Output is bounded by {@link CapturedOutput}.
 *
 * <p>Like Python's {@code communicate(timeout=…)}, a run ends when the command exited
 * <em>and</em> its output reached end of file: a background child that keeps the pipe open
 * makes the run time out, and is killed with its group.
 */
public final class ProcessRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
  /** How long to wait for a killed group to exit and close its output. */
  static final Duration REAP_GRACE = Duration.ofSeconds(5);

  private final Spawner spawner;
  private final Duration termGrace;
  private final LongConsumer onStart;
  private final ChildSetup setup;
  /** The runs {@link #begin} started that have not ended: shared by every copy of a runner. */
  private final Set<RunInFlight> inFlight;

  /** Returns a runner that kills with SIGKILL at once, for production use. */
  public ProcessRunner() {
    this(pid -> {});
  }

  /**
   * Returns a runner that tells {@code onStart} the pid (which is also the process-group id) of
   * every process it starts, before waiting for it; tests use it to look for leftovers.
   */
  public ProcessRunner(LongConsumer onStart) {
    this(SpawnMethod.preferred(), onStart);
  }

  /** Returns a runner like {@link #ProcessRunner(LongConsumer)} that starts commands by {@code method}. */
  public ProcessRunner(SpawnMethod method, LongConsumer onStart) {
    this(method.spawner(), Duration.ZERO, onStart, ChildSetup.inheritAll(),
        ConcurrentHashMap.newKeySet());
  }

  private ProcessRunner(Spawner spawner, Duration termGrace, LongConsumer onStart,
      ChildSetup setup, Set<RunInFlight> inFlight) {
    this.spawner = spawner;
    this.termGrace = termGrace;
    this.onStart = onStart;
    this.setup = setup;
    this.inFlight = inFlight;
  }

  /**
   * Returns a runner like this one whose commands get {@code setup}'s environment and run after
   * its prefix (the daemon's own commands get its whole environment).
   */
  public ProcessRunner withSetup(ChildSetup setup) {
    return new ProcessRunner(spawner, termGrace, onStart, setup, inFlight);
  }

  /**
   * Returns a runner like this one that, when a run must be stopped, sends its process group
   * SIGTERM, and SIGKILL only after {@code grace}: for commands that may want to clean up, as
   * the original sends SIGTERM to {@code custom_bird_reconfigure_cmd}.
   */
  public ProcessRunner terminatingFirst(Duration grace) {
    if (!grace.isPositive()) {
      throw new IllegalArgumentException("grace must be positive: " + grace);
    }
    return new ProcessRunner(spawner, grace, onStart, setup, inFlight);
  }

  /**
   * Returns how running {@code argv} within {@code timeout} ended.
   *
   * @throws IllegalArgumentException when {@code argv} is empty
   * @throws InterruptedException when interrupted; the process group is killed and reaped first
   */
  public ProcessResult run(List<String> argv, Duration timeout) throws InterruptedException {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Child child;
    try {
      child = spawner.start(setup.argv(argv), setup.environment());
    } catch (IOException | UncheckedIOException e) {
      return new ProcessResult.CouldNotRun(since(start), String.valueOf(e.getMessage()));
    }
    onStart.accept(child.pid());
    try {
      if (!child.awaitEnd(deadline)) {
        stop(child);
        return new ProcessResult.TimedOut(since(start));
      }
      return child.result(since(start));
    } catch (InterruptedException e) {
      stop(child);
      throw e;
    }
  }

  /**
   * Returns whether {@link #begin} starts commands without a thread waiting for them: when they
   * are posix_spawn'ed and watched by the reactor of check processes, and killed at once on a
   * timeout (a runner with a SIGTERM grace blocks for it).
   */
  public boolean beginsWithoutThread() {
    return spawner instanceof PosixSpawner && !termGrace.isPositive();
  }

  /**
   * Begins running {@code argv} within {@code timeout} and returns at once; on {@code home}'s
   * thread, whose timer is the run's deadline. {@code done} gets the result once: on the thread
   * that watches check processes when the command ends (exited, or killed at the deadline and
   * reaped), on {@code home}'s when it could not be started. A timeout kills as {@link #run}
   * does; {@link #stopAll} kills what is still running and drops its result.
   *
   * @throws IllegalArgumentException when {@code argv} is empty
   * @throws IllegalStateException when not on {@code home}'s thread, or the runner has a SIGTERM
   *     grace
   */
  public void begin(List<String> argv, Duration timeout, Reactor home,
      Consumer<ProcessResult> done) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    if (termGrace.isPositive() || !home.inReactor()) {
      throw new IllegalStateException("begin needs the home reactor's thread and no grace");
    }
    long start = System.nanoTime();
    long deadline = home.nanoTime() + timeout.toNanos();
    Child child;
    try {
      child = spawner.start(setup.argv(argv), setup.environment());
    } catch (IOException | UncheckedIOException e) {
      done.accept(new ProcessResult.CouldNotRun(since(start), String.valueOf(e.getMessage())));
      return;
    }
    onStart.accept(child.pid());
    new RunInFlight(child, start, home, done, inFlight).watch(deadline);
  }

  /**
   * Kills every command {@link #begin} started that is still running (the daemon is closing),
   * and waits up to {@code grace} for them to be reaped. Their results are dropped, as a blocking
   * run's are when it is interrupted: a check killed by the daemon's stop must not turn its
   * service DOWN. Returns how many were still in flight at the end of the grace.
   */
  public int stopAll(Duration grace) {
    List<RunInFlight> running = List.copyOf(inFlight);
    running.forEach(RunInFlight::stop);
    long until = System.nanoTime() + grace.toNanos();
    // Bounded: the reactor reports each killed run once it is reaped.
    while (!inFlight.isEmpty() && System.nanoTime() - until < 0) {
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
    return inFlight.size();
  }

  /**
   * Stops the run: SIGTERM to the group and a grace when this runner has one, then SIGKILL to
   * the group and every descendant seen, then reaps the direct child. Runs to the end even when
   * interrupted (the interrupt is kept for the caller).
   */
  private void stop(Child child) {
    // Taken before any signal: once the leader dies its children are re-parented and vanish
    // from this list.
    List<ProcessHandle> descendants = child.descendants();
    boolean terminated = false;
    if (termGrace.isPositive() && !child.ended()) {
      ProcessGroupKill.signalGroup(child.pid(), ProcessGroupKill.SIGTERM);
      terminated = true;
      awaitEnd(child, termGrace);
    }
    // Safe against pid reuse: a pgid stays reserved while any member lives, and while the
    // leader is unreaped; an empty group means kill() finds nothing (pids are reused only
    // after the kernel's pid counter wraps, not within a grace). After a SIGTERM the group is
    // killed even when the leader and its output are gone: a member that ignored SIGTERM and
    // let go of the pipe would be left behind otherwise.
    kill(child, descendants, terminated);
    if (!awaitEnd(child, REAP_GRACE)) {
      warnLeftBehind(child);
    }
  }

  /**
   * SIGKILL to the group (unless the child ended and no SIGTERM went to the group before), to
   * every descendant in {@code descendants}, and to the leader unless it was reaped.
   */
  static void kill(Child child, List<ProcessHandle> descendants, boolean terminated) {
    if (terminated || !child.ended()) {
      ProcessGroupKill.signalGroup(child.pid(), ProcessGroupKill.SIGKILL);
    }
    // destroyForcibly checks the start time, so it never hits a recycled pid.
    descendants.forEach(ProcessHandle::destroyForcibly);
    child.killLeader();
  }

  static void warnLeftBehind(Child child) {
    LOG.warn(
        "process {} was killed but still holds its output open after {}s: a process that"
            + " left its group keeps it; giving up on it",
        child.pid(),
        REAP_GRACE.toSeconds());
  }

  /**
   * Returns true when the process exited and both streams ended within {@code limit}. Waits
   * through interrupts and keeps them for the caller.
   */
  private static boolean awaitEnd(Child child, Duration limit) {
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      while (true) {
        try {
          return child.awaitEnd(deadline);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
