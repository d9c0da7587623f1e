package net.anycast.healthchecker.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command without a shell, in a session of its own, and never leaves it behind.
 *
 * <p>The command is started as {@code setsid -- <argv…>}: its pid is its process-group id, so
 * on a timeout (or when the caller is interrupted) SIGKILL goes to the whole group, then to
 * every descendant seen just before (in case one moved to another group), and the direct child
 * is reaped before {@link #run} returns; runs of one caller therefore never overlap. A runner
 * made by {@link #terminatingFirst} sends the group SIGTERM first and SIGKILL only to what is
 * left after a grace. Output is read by two virtual threads, bounded by {@link CapturedOutput}.
 *
 * <p>Like Python's {@code communicate(timeout=…)}, a run ends when the command exited
 * <em>and</em> its output reached end of file: a background child that keeps the pipe open
 * makes the run time out, and is killed with its group.
 */
public final class ProcessRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
  private static final String SETSID = "/usr/bin/setsid";
  /** How long to wait for a killed group to exit and close its output. */
  private static final Duration REAP_GRACE = Duration.ofSeconds(5);

  private final Duration termGrace;
  private final LongConsumer onStart;

  /** Returns a runner that kills with SIGKILL at once, for production use. */
  public ProcessRunner() {
    this(pid -> {});
  }

  /**
   * Returns a runner that tells {@code onStart} the pid (which is also the process-group id) of
   * every process it starts, before waiting for it; tests use it to look for leftovers.
   */
  public ProcessRunner(LongConsumer onStart) {
    this(Duration.ZERO, onStart);
  }

  private ProcessRunner(Duration termGrace, LongConsumer onStart) {
    this.termGrace = termGrace;
    this.onStart = onStart;
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
    return new ProcessRunner(grace, onStart);
  }

  /**
   * Returns how running {@code argv} within {@code timeout} ended.
   *
   * @throws IllegalArgumentException when {@code argv} is empty
   * @throws InterruptedException when interrupted; the process group is killed and reaped first
   */
  public ProcessResult run(List<String> argv, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Process process;
    try {
      process = command(argv).start();
    } catch (IOException | UncheckedIOException e) {
      return new ProcessResult.CouldNotRun(since(start), String.valueOf(e.getMessage()));
    }
    onStart.accept(process.pid());
    FutureTask<CapturedOutput> stdout = drain(process.getInputStream(), process.pid());
    FutureTask<CapturedOutput> stderr = drain(process.getErrorStream(), process.pid());
    try {
      boolean finished =
          process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)
              && ended(stdout, deadline)
              && ended(stderr, deadline);
      if (!finished) {
        stop(process, stdout, stderr);
        return new ProcessResult.TimedOut(since(start));
      }
      return new ProcessResult.Exited(
          since(start), process.exitValue(), outputOf(stdout), outputOf(stderr));
    } catch (InterruptedException e) {
      stop(process, stdout, stderr);
      throw e;
    }
  }

  private static ProcessBuilder command(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    List<String> full = new ArrayList<>(argv.size() + 2);
    full.add(SETSID);
    full.add("--"); // argv[0] is never taken for a setsid option
    full.addAll(argv);
    return new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
  }

  private static FutureTask<CapturedOutput> drain(InputStream in, long pid) {
    FutureTask<CapturedOutput> task =
        new FutureTask<>(
            () -> {
              try (in) {
                return CapturedOutput.drain(in);
              }
            });
    Thread.ofVirtual().name("process-output-" + pid).start(task);
    return task;
  }

  /** Returns true when the stream reached end of file before the deadline. */
  private static boolean ended(FutureTask<CapturedOutput> output, long deadline)
      throws InterruptedException {
    try {
      output.get(remaining(deadline), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true; // a read error ends the stream too; outputOf() says what happened
    }
  }

  private static CapturedOutput outputOf(FutureTask<CapturedOutput> output) {
    return switch (output.state()) {
      case SUCCESS -> output.resultNow();
      case FAILED -> new CapturedOutput("[output unreadable: " + output.exceptionNow() + "]", 0);
      default -> CapturedOutput.empty();
    };
  }

  /**
   * Stops the run: SIGTERM to the group and a grace when this runner has one, then SIGKILL to
   * the group and every descendant seen, then reaps the direct child. Runs to the end even when
   * interrupted (the interrupt is kept for the caller).
   */
  private void stop(
      Process process, FutureTask<CapturedOutput> stdout, FutureTask<CapturedOutput> stderr) {
    // Taken before any signal: once the leader dies its children are re-parented and vanish
    // from this list.
    List<ProcessHandle> descendants = process.descendants().toList();
    boolean terminated = false;
    if (termGrace.isPositive() && running(process, stdout, stderr)) {
      ProcessGroupKill.signalGroup(process.pid(), ProcessGroupKill.SIGTERM);
      terminated = true;
      awaitEnd(process, stdout, stderr, termGrace);
    }
    // Safe against pid reuse: a pgid stays reserved while any member lives, and while the
    // leader is unreaped; an empty group means kill() finds nothing (pids are reused only
    // after the kernel's pid counter wraps, not within a grace). After a SIGTERM the group is
    // killed even when the leader and its output are gone: a member that ignored SIGTERM and
    // let go of the pipe would be left behind otherwise.
    if (terminated || running(process, stdout, stderr)) {
      ProcessGroupKill.signalGroup(process.pid(), ProcessGroupKill.SIGKILL);
    }
    // destroyForcibly checks the start time, so it never hits a recycled pid.
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    if (!awaitEnd(process, stdout, stderr, REAP_GRACE)) {
      LOG.warn(
          "process {} was killed but still holds its output open after {}s: a process that"
              + " left its group keeps it; giving up on it",
          process.pid(),
          REAP_GRACE.toSeconds());
    }
  }

  private static boolean running(
      Process process, FutureTask<CapturedOutput> stdout, FutureTask<CapturedOutput> stderr) {
    return process.isAlive() || !stdout.isDone() || !stderr.isDone();
  }

  /**
   * Returns true when the process exited and both streams ended within {@code limit}. Waits
   * through interrupts and keeps them for the caller.
   */
  private static boolean awaitEnd(
      Process process,
      FutureTask<CapturedOutput> stdout,
      FutureTask<CapturedOutput> stderr,
      Duration limit) {
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      while (true) {
        try {
          return process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)
              && ended(stdout, deadline)
              && ended(stderr, deadline);
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

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
