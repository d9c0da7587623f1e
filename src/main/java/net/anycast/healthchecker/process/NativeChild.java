package net.anycast.healthchecker.process;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command started by {@link PosixSpawner}: the read ends of its two output pipes (and, when it
 * outlives them, its pidfd) are watched by the {@link ChildReactor}, which reads the output,
 * reaps the process and closes every descriptor; waiters only wait on a latch, so a virtual
 * thread never blocks a carrier.
 *
 * <p>The reactor thread owns the descriptors and the captures; {@link #killLeader()} and the
 * reap share this object's lock so a pid is never signalled after it was reaped.
 */
final class NativeChild implements Child {
  private static final Logger LOG = LoggerFactory.getLogger(NativeChild.class);
  private final LinuxCalls calls;
  private final int pid;
  final int stdoutFd;
  final int stderrFd;
  private final OutputCapture stdout = new OutputCapture();
  private final OutputCapture stderr = new OutputCapture();
  private final CountDownLatch done = new CountDownLatch(1);
  /** What {@link #whenEnded} asked for; {@link #FIRED} once it ran or the child ended first. */
  private final AtomicReference<Runnable> then = new AtomicReference<>();
  private static final Runnable FIRED = () -> { };

  // Set by the spawning thread before the reactor can see the child.
  long id;
  String rejection;

  // Reactor thread only, until done is counted down (which publishes them to waiters).
  int pidfd = -1; // opened by the reactor only when the process outlives both streams
  boolean pidfdOpen;
  boolean stdoutOpen = true;
  boolean stderrOpen = true;
  private String failure;

  // Guarded by this.
  private boolean reaped;
  private int exitCode;

  NativeChild(LinuxCalls calls, int pid, int stdoutFd, int stderrFd) {
    this.calls = calls;
    this.pid = pid;
    this.stdoutFd = stdoutFd;
    this.stderrFd = stderrFd;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public boolean ended() {
    return done.getCount() == 0;
  }

  @Override
  public boolean awaitEnd(long deadline) throws InterruptedException {
    return done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  @Override
  public void whenEnded(Runnable task) {
    if (!then.compareAndSet(null, task)) {
      task.run(); // it ended before anyone asked
    }
  }

  /** Runs what {@link #whenEnded} asked for, once; after the latch is counted down. */
  private void fire() {
    Runnable task = then.getAndSet(FIRED);
    if (task != null && task != FIRED) {
      try {
        task.run();
      } catch (RuntimeException e) { // the reactor's bookkeeping of this child must still end
        LOG.error("the end of check process {} could not be handled", pid, e);
      }
    }
  }

  @Override
  public ProcessResult result(Duration took) {
    if (failure != null) {
      return new ProcessResult.CouldNotRun(took, failure);
    }
    int code;
    synchronized (this) {
      code = exitCode;
    }
    return new ProcessResult.Exited(took, code, stdout.result(), stderr.result());
  }

  @Override
  public synchronized void killLeader() {
    if (!reaped) {
      ProcessGroupKill.signalProcess(pid, ProcessGroupKill.SIGKILL);
    }
  }

  // --- called by the reactor thread --------------------------------------------------------

  /**
   * Reaps the process if it exited. Returns 1 when it is reaped (now or before), 0 when it is
   * still running, {@code -errno} when it cannot be waited for.
   */
  synchronized int reap(MemorySegment status, MemorySegment state) {
    if (reaped) {
      return 1;
    }
    int r = calls.reap(pid, status, state);
    if (r == LinuxCalls.NOT_YET) {
      return 0;
    }
    if (r < 0) {
      return r;
    }
    reaped = true;
    exitCode = LinuxCalls.exitCodeOf(r);
    return 1;
  }

  /** Marks the process reaped by someone else: its status is lost. */
  synchronized void lost(String why) {
    reaped = true;
    failure = why;
  }

  void output(int kind, MemorySegment bytes, int n) {
    (kind == ChildReactor.STDOUT ? stdout : stderr).accept(bytes, n);
  }

  /** Ends the wait when the process is reaped and both streams are closed. */
  boolean finishIfDone() {
    boolean isDone;
    synchronized (this) {
      isDone = reaped && !stdoutOpen && !stderrOpen;
    }
    if (isDone) {
      done.countDown();
      fire();
    }
    return isDone;
  }

  /** Ends the wait at once: the reactor could not watch this child. */
  void fail(String why) {
    failure = why;
    done.countDown();
    fire();
  }
}
