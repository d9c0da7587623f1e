package net.anycast.healthchecker.process;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that watches every child started by {@link PosixSpawner} through one
 * epoll set: reads their output as it arrives, reaps each one when its pidfd turns readable, and
 * closes their descriptors. It replaces, for all children together, what the JDK does with one
 * reaper thread per live child plus one blocked reader per pipe.
 *
 * <p>The spawning thread adds a child's two pipe ends to the epoll set itself (epoll_ctl is safe
 * beside a running epoll_wait), after putting the child in the table the events are looked up
 * in. A child's pidfd is opened and added only when both its streams ended before it could be
 * reaped: most checks have exited by the time their output ends, and they cost no pidfd at all.
 * Every descriptor is watched {@code EPOLLONESHOT}: an event disables it until the reactor
 * re-arms it, and it is not re-armed once its end was seen, so closing it needs no
 * {@code EPOLL_CTL_DEL} (see {@link LinuxCalls#epollDel} for why a closed descriptor may stay in
 * the set: disabled, it can no longer wake anyone). A pipe reported hung up and not readable has
 * ended without a read. Every close happens on the reactor thread, so a descriptor number is
 * never read after it was closed and reused. A child whose descriptors could not all be added
 * is handed over through a queue and an eventfd, and the reactor gives up on it.
 *
 * <p>The thread is supervised: if its turn throws (an {@code Error}, a failed {@code epoll_wait})
 * it logs why and starts the watch again on the same epoll set, after re-arming every watched
 * descriptor (a one-shot event the dead turn took but did not handle is reported again). When it died more than {@link #MAX_RESTARTS} times within
 * {@link #RESTART_WINDOW} it gives up: every watched child is killed and reported as not run,
 * {@link PosixSpawner} starts checks through the JDK from then on, and {@link #lastTurnNanos()}
 * stops advancing so the systemd watchdog (which is tied to it) restarts the daemon. Without the
 * supervision a dead thread meant every check timed out and every route was withdrawn while the
 * watchdog kept being pinged.
 */
final class ChildReactor {
  static final int PIDFD = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  private static final Logger LOG = LoggerFactory.getLogger(ChildReactor.class);
  private static final long DOORBELL = -1L;
  private static final int MAX_EVENTS = 256;
  private static final int WATCH = LinuxCalls.EPOLLIN | LinuxCalls.EPOLLONESHOT;
  private static final int READ_CHUNK = 64 * 1024;
  /** How many deaths within {@link #RESTART_WINDOW} the watch survives. */
  static final int MAX_RESTARTS = 3;
  static final Duration RESTART_WINDOW = Duration.ofMinutes(1);
  /** The longest epoll_wait: the thread shows it is alive at least this often. */
  private static final int TURN_MILLIS = 1000;

  private final LinuxCalls calls;
  private final int epfd;
  private final int doorbell;
  private final Queue<NativeChild> rejected = new ConcurrentLinkedQueue<>();
  private final Map<Long, NativeChild> children = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final Deque<Long> deaths = new ArrayDeque<>(); // only the watch thread touches it
  private volatile long lastTurnNanos = System.nanoTime();
  private volatile int restarts;
  private volatile boolean gaveUp;
  private volatile Throwable injected; // fault-injection tests: thrown at the next turn
  private volatile long wakeups; // written by the reactor thread only

  private ChildReactor(LinuxCalls calls) throws IOException {
    this.calls = calls;
    this.epfd = calls.epollCreate();
    this.doorbell = calls.eventfd();
    calls.epollAdd(epfd, doorbell, DOORBELL);
    Thread.ofPlatform().daemon().name("process-reactor").start(this::supervise);
  }

  /** Starts a reactor and its thread; they live as long as the JVM. */
  static ChildReactor start(LinuxCalls calls) throws IOException {
    return new ChildReactor(calls);
  }

  /** Hands {@code child} to the reactor, which watches it from now on. */
  void watch(NativeChild child) {
    try (Arena arena = Arena.ofConfined()) {
      watch(child, arena);
    }
  }

  /** As {@link #watch(NativeChild)}, with scratch memory from the spawn's {@code arena}. */
  void watch(NativeChild child, Arena arena) {
    long id = nextId.incrementAndGet();
    child.id = id;
    children.put(id, child);
    try {
      MemorySegment event = arena.allocate(LinuxCalls.EPOLL_EVENT);
      MemorySegment state = LinuxCalls.allocateState(arena);
      calls.epollCtl(epfd, LinuxCalls.EPOLL_CTL_ADD, child.stdoutFd, WATCH, id << 2 | STDOUT,
          event, state);
      calls.epollCtl(epfd, LinuxCalls.EPOLL_CTL_ADD, child.stderrFd, WATCH, id << 2 | STDERR,
          event, state);
    } catch (IOException e) {
      child.rejection = e.getMessage();
      rejected.add(child);
      calls.ring(doorbell);
    }
    if (gaveUp && children.remove(id) != null) { // the watch died meanwhile: nobody would see it
      abandon(child, "the watch thread failed");
    }
  }

  /**
   * Returns when (monotonic nanoseconds) the watch last turned: at least every second while it
   * works; frozen once it gave up or when it is stuck.
   */
  long lastTurnNanos() {
    return lastTurnNanos;
  }

  /** Returns true once the watch died too often and checks must be started another way. */
  boolean gaveUp() {
    return gaveUp;
  }

  /** Returns how often the watch was restarted. */
  int restarts() {
    return restarts;
  }

  /** Makes the watch thread throw {@code fault} at its next turn (fault-injection tests). */
  void injectFault(Throwable fault) {
    injected = fault;
    calls.ring(doorbell);
  }

  /** Returns how many times epoll_wait returned so far (for tests). */
  long wakeups() {
    return wakeups;
  }

  /** Returns how many children are watched now (for tests). */
  int watched() {
    return children.size();
  }

  private void supervise() {
    boolean restarted = false;
    while (true) {
      try {
        if (restarted) {
          rearmAll();
        }
        restarted = true;
        loop();
      } catch (Throwable t) { // an Error too: the one thread every check depends on
        long now = System.nanoTime();
        deaths.addLast(now);
        while (now - deaths.getFirst() > RESTART_WINDOW.toNanos()) {
          deaths.removeFirst();
        }
        if (deaths.size() > MAX_RESTARTS) {
          LOG.error("the thread watching check processes died {} times within {}; giving up:"
              + " checks are started through the JDK from now on, and the systemd watchdog is"
              + " no longer pinged", deaths.size(), RESTART_WINDOW, t);
          gaveUp = true;
          children.values().forEach(c -> abandon(c, "the watch thread failed: " + t));
          return;
        }
        restarts++;
        LOG.error("the thread watching check processes failed; restarting the watch", t);
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos() * deaths.size()); // no busy loop
      }
    }
  }

  private void loop() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment events = arena.allocate(LinuxCalls.EPOLL_EVENT, MAX_EVENTS);
      Scratch scratch = new Scratch(arena.allocate(READ_CHUNK),
          arena.allocate(ValueLayout.JAVA_INT), LinuxCalls.allocateState(arena),
          arena.allocate(LinuxCalls.EPOLL_EVENT));
      MemorySegment state = scratch.state();
      while (true) {
        lastTurnNanos = System.nanoTime();
        Throwable fault = injected;
        if (fault != null) {
          injected = null;
          if (fault instanceof Error e) {
            throw e;
          }
          if (fault instanceof RuntimeException r) {
            throw r;
          }
          throw new IOException(fault);
        }
        int n = calls.epollWait(epfd, events, TURN_MILLIS, state);
        wakeups++; // single writer
        for (int i = 0; i < n; i++) {
          long token = LinuxCalls.eventData(events, i);
          if (token == DOORBELL) {
            calls.read(doorbell, scratch.buffer().asSlice(0, 8), state);
            abandonRejected();
          } else {
            try {
              dispatch(token, LinuxCalls.eventBits(events, i), scratch);
            } catch (RuntimeException e) {
              // One child's trouble must not stop the watch of all the others.
              LOG.error("error while watching a check process (token {})", token, e);
            }
          }
        }
      }
    }
  }

  private void abandonRejected() {
    NativeChild child;
    while ((child = rejected.poll()) != null) {
      abandon(child, child.rejection);
    }
  }

  /**
   * Gives up on a child the reactor cannot watch: kills its group, reaps it when it is gone
   * (bounded), closes its descriptors, and ends its wait with the reason.
   */
  private void abandon(NativeChild child, String why) {
    children.remove(child.id);
    ProcessGroupKill.signalGroup(child.pid(), ProcessGroupKill.SIGKILL);
    child.killLeader();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
      MemorySegment state = LinuxCalls.allocateState(arena);
      // Bounded at one second: a process stuck in uninterruptible sleep stays a zombie rather
      // than stopping every other child's watch.
      for (int i = 0; i < 1000 && child.reap(status, state) == 0; i++) {
        LockSupport.parkNanos(1_000_000);
      }
    }
    // Only what is still open: an event for a descriptor that was added may have closed it.
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LinuxCalls.allocateState(arena);
      if (child.pidfdOpen) {
        child.pidfdOpen = false;
        release(child.pidfd, state);
      }
      if (child.stdoutOpen) {
        child.stdoutOpen = false;
        release(child.stdoutFd, state);
      }
      if (child.stderrOpen) {
        child.stderrOpen = false;
        release(child.stderrFd, state);
      }
    }
    child.fail("cannot watch the process: " + why);
  }

  /**
   * Re-arms every open descriptor of every watched child (after the watch died). A failure is
   * left alone: a child still being added gets its descriptors armed by their EPOLL_CTL_ADD.
   */
  private void rearmAll() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment event = arena.allocate(LinuxCalls.EPOLL_EVENT);
      MemorySegment state = LinuxCalls.allocateState(arena);
      for (NativeChild c : children.values()) {
        long id = c.id << 2;
        int[] fds = {c.stdoutOpen ? c.stdoutFd : -1, c.stderrOpen ? c.stderrFd : -1,
            c.pidfdOpen ? c.pidfd : -1};
        long[] tokens = {id | STDOUT, id | STDERR, id | PIDFD};
        for (int i = 0; i < fds.length; i++) {
          if (fds[i] >= 0) {
            try {
              calls.epollCtl(epfd, LinuxCalls.EPOLL_CTL_MOD, fds[i], WATCH, tokens[i], event,
                  state);
            } catch (IOException e) {
              // not added yet (its ADD arms it), or already closed by an abandon
            }
          }
        }
      }
    }
  }

  /** Takes a watched descriptor out of the epoll set, then closes it (see epollDel). */
  private void release(int fd, MemorySegment state) {
    calls.epollDel(epfd, fd, state);
    calls.close(fd);
  }

  /** The reactor thread's native scratch memory, allocated once per watch. */
  private record Scratch(MemorySegment buffer, MemorySegment status, MemorySegment state,
      MemorySegment event) {}

  private void dispatch(long token, int bits, Scratch scratch) {
    long id = token >>> 2;
    int kind = (int) (token & 3);
    NativeChild child = children.get(id);
    if (child == null) {
      return; // an event for a child that ended earlier in this batch
    }
    if (kind == PIDFD) {
      if (!child.pidfdOpen) {
        return;
      }
      int reaped = child.reap(scratch.status(), scratch.state());
      if (reaped == 0) {
        rearm(child, child.pidfd, token, scratch); // readable but not reapable yet: wait for more
        return;
      }
      if (reaped < 0) {
        lost(child, reaped);
      }
      child.pidfdOpen = false;
      calls.close(child.pidfd); // disabled by its one shot: no EPOLL_CTL_DEL needed
    } else {
      boolean open = kind == STDOUT ? child.stdoutOpen : child.stderrOpen;
      if (!open) {
        return;
      }
      int fd = kind == STDOUT ? child.stdoutFd : child.stderrFd;
      if (!ended(child, kind, fd, bits, scratch)) {
        rearm(child, fd, token, scratch);
        return;
      }
      if (kind == STDOUT) {
        child.stdoutOpen = false;
      } else {
        child.stderrOpen = false;
      }
      calls.close(fd); // disabled by its one shot: no EPOLL_CTL_DEL needed
      if (!child.stdoutOpen && !child.stderrOpen && !watchExit(child, scratch)) {
        return; // abandoned
      }
    }
    if (child.finishIfDone()) {
      children.remove(id);
    }
  }

  /**
   * Returns true when stream {@code kind} of {@code child} has ended: reported hung up with
   * nothing to read (no read needed), at end of file, or failed; false after taking what it
   * had, when it stays open. At most one read per event, so the reactor never blocks on a pipe.
   */
  private boolean ended(NativeChild child, int kind, int fd, int bits, Scratch scratch) {
    if ((bits & LinuxCalls.EPOLLIN) == 0) {
      return true; // EPOLLHUP alone: no writer left and the pipe is empty
    }
    long got = calls.read(fd, scratch.buffer(), scratch.state());
    if (got > 0) {
      child.output(kind, scratch.buffer(), (int) got);
      return false;
    }
    return got == 0 || LinuxCalls.errno(scratch.state()) != LinuxCalls.EAGAIN;
  }

  /**
   * Both streams of {@code child} ended: reaps it, or when it still runs (it closed them, or
   * exits right now) watches its pidfd. Returns false when that failed and it was abandoned.
   */
  private boolean watchExit(NativeChild child, Scratch scratch) {
    int reaped = child.reap(scratch.status(), scratch.state());
    if (reaped < 0) {
      lost(child, reaped);
    }
    if (reaped != 0) {
      return true;
    }
    try {
      // Still unreaped, so its pid cannot have been reused: the pidfd is this process's.
      child.pidfd = calls.pidfdOpen((int) child.pid(), scratch.state());
      child.pidfdOpen = true;
      calls.epollCtl(epfd, LinuxCalls.EPOLL_CTL_ADD, child.pidfd, WATCH, child.id << 2 | PIDFD,
          scratch.event(), scratch.state());
      return true;
    } catch (IOException e) {
      abandon(child, e.getMessage());
      return false;
    }
  }

  /** Someone else waited for it (a wait for any child elsewhere in the JVM). */
  private void lost(NativeChild child, int reaped) {
    // The exit status is gone; the run must not pass by accident.
    child.lost("exit status lost: " + calls.strerror(-reaped));
  }

  /**
   * Enables a one-shot descriptor again after an event that did not end it; a child whose
   * descriptor cannot be re-armed would never be seen again, so it is abandoned.
   */
  private void rearm(NativeChild child, int fd, long token, Scratch scratch) {
    try {
      calls.epollCtl(epfd, LinuxCalls.EPOLL_CTL_MOD, fd, WATCH, token, scratch.event(),
          scratch.state());
    } catch (IOException e) {
      abandon(child, e.getMessage());
    }
  }
}
