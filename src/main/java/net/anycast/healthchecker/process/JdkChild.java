package net.anycast.healthchecker.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A command started by the JDK's {@link Process}: waited for by the JDK's reaper, its output
 * read by two virtual threads, bounded by {@link CapturedOutput}.
 */
final class JdkChild implements Child {
  private final Process process;
  private final FutureTask<CapturedOutput> stdout;
  private final FutureTask<CapturedOutput> stderr;

  /** Starts the readers; the last one to hold its pipe opens {@link JdkSpawner}'s gate. */
  JdkChild(Process process) {
    this.process = process;
    AtomicInteger starting = new AtomicInteger(2);
    Runnable holding = () -> {
      if (starting.decrementAndGet() == 0) {
        openGate(process);
      }
    };
    this.stdout = drain(process.getInputStream(), process.pid(), holding);
    this.stderr = drain(process.getErrorStream(), process.pid(), holding);
  }

  private static void openGate(Process process) {
    try (OutputStream gate = process.getOutputStream()) {
      gate.write('\n');
    } catch (IOException e) {
      // The gate's shell is gone already (killed): there is nothing left to start.
    }
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public boolean ended() {
    return !process.isAlive() && stdout.isDone() && stderr.isDone();
  }

  @Override
  public boolean awaitEnd(long deadline) throws InterruptedException {
    return process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)
        && ended(stdout, deadline)
        && ended(stderr, deadline);
  }

  /** A virtual thread waits for the end: the JDK offers no callback for the output's end. */
  @Override
  public void whenEnded(Runnable then) {
    Thread.ofVirtual().name("process-end-" + process.pid()).start(() -> {
      boolean interrupted = false;
      while (true) {
        try {
          // A killed child ends; one that never does keeps only this virtual thread.
          if (awaitEnd(System.nanoTime() + TimeUnit.DAYS.toNanos(1))) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      then.run();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Override
  public ProcessResult result(Duration took) {
    return new ProcessResult.Exited(took, process.exitValue(), outputOf(stdout), outputOf(stderr));
  }

  @Override
  public List<ProcessHandle> descendants() {
    return process.descendants().toList();
  }

  @Override
  public void killLeader() {
    // destroyForcibly checks the start time, so it never hits a recycled pid.
    process.destroyForcibly();
  }

  /**
   * Reads {@code in} to its end on a virtual thread, holding the stream's monitor throughout: the
   * JDK's reaper takes the same monitor when the child exits, to drain what is buffered and close
   * the pipe. Held, the reaper waits, and end of file means every holder of the pipe closed it,
   * including a background child the command left behind.
   */
  private static FutureTask<CapturedOutput> drain(InputStream in, long pid, Runnable holding) {
    FutureTask<CapturedOutput> task =
        new FutureTask<>(
            () -> {
              try (in) {
                synchronized (in) {
                  holding.run();
                  return CapturedOutput.drain(in);
                }
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

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
