package net.anycast.healthchecker.check;

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
 * <p>The command is started as {@code setsid <argv…>}: its pid is its process-group id, so on a
 * timeout (or when the loop is closed) SIGKILL goes to the whole group, then to every descendant
 * seen just before (in case one moved to another group), and the direct child is reaped before
 * {@link #run} returns; runs of one loop therefore never overlap. Output is read by two
 * virtual threads, bounded by {@link CapturedOutput}.
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

  private final LongConsumer onStart;

  /** Returns a runner for production use. */
  public ProcessRunner() {
    this(pid -> {});
  }

  /**
   * Returns a runner that tells {@code onStart} the pid (which is also the process-group id) of
   * every process it starts, before waiting for it; tests use it to look for leftovers.
   */
  public ProcessRunner(LongConsumer onStart) {
    this.onStart = onStart;
  }

  /**
   * Returns how running {@code argv} within {@code timeout} ended.
   *
   * @throws InterruptedException when interrupted; the process group is killed and reaped first
   */
  public CheckResult run(List<String> argv, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Process process;
    try {
      process = command(argv).start();
    } catch (IOException | UncheckedIOException e) {
      return new CheckResult.CouldNotRun(since(start), String.valueOf(e.getMessage()));
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
        killTree(process, stdout, stderr);
        return new CheckResult.TimedOut(since(start));
      }
      Duration took = since(start);
      int code = process.exitValue();
      return code == 0
          ? new CheckResult.Passed(took)
          : new CheckResult.Failed(took, code, outputOf(stdout), outputOf(stderr));
    } catch (InterruptedException e) {
      killTree(process, stdout, stderr);
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
    Thread.ofVirtual().name("check-output-" + pid).start(task);
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
   * Kills the process group and every descendant seen, then reaps the direct child. Runs to the
   * end even when interrupted (the interrupt is kept for the caller).
   */
  private static void killTree(
      Process process, FutureTask<CapturedOutput> stdout, FutureTask<CapturedOutput> stderr) {
    // Taken before the kill: once the leader dies its children are re-parented and vanish
    // from this list.
    List<ProcessHandle> descendants = process.descendants().toList();
    // Safe against pid reuse: a pgid stays reserved while any member lives, and while the
    // leader is unreaped; an empty group means kill() finds nothing (pids are reused only
    // after the kernel's pid counter wraps).
    if (process.isAlive() || !stdout.isDone() || !stderr.isDone()) {
      ProcessGroupKill.killGroup(process.pid());
    }
    // destroyForcibly checks the start time, so it never hits a recycled pid.
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    boolean interrupted = false;
    long deadline = System.nanoTime() + REAP_GRACE.toNanos();
    while (true) {
      try {
        if (process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)
            && ended(stdout, deadline)
            && ended(stderr, deadline)) {
          break;
        }
        LOG.warn(
            "process {} was killed but still holds its output open after {}s: a process that"
                + " left its group keeps it; giving up on it",
            process.pid(),
            REAP_GRACE.toSeconds());
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
