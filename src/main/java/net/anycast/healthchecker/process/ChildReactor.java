package net.anycast.healthchecker.process;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * <p>The spawning thread adds a child's three descriptors to the epoll set itself (epoll_ctl is
 * safe beside a running epoll_wait), after putting the child in the table the events are looked
 * up in. Every close happens on the reactor thread — closing also takes a descriptor out of the
 * set — so a descriptor number is never read after it was closed and reused. A child whose
 * descriptors could not all be added is handed over through a queue and an eventfd, and the
 * reactor gives up on it.
 */
final class ChildReactor {
  static final int PIDFD = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  private static final Logger LOG = LoggerFactory.getLogger(ChildReactor.class);
  private static final long DOORBELL = -1L;
  private static final int MAX_EVENTS = 256;
  private static final int READ_CHUNK = 64 * 1024;

  private final LinuxCalls calls;
  private final int epfd;
  private final int doorbell;
  private final Queue<NativeChild> rejected = new ConcurrentLinkedQueue<>();
  private final Map<Long, NativeChild> children = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private volatile long wakeups; // written by the reactor thread only

  private ChildReactor(LinuxCalls calls) throws IOException {
    this.calls = calls;
    this.epfd = calls.epollCreate();
    this.doorbell = calls.eventfd();
    calls.epollAdd(epfd, doorbell, DOORBELL);
    Thread.ofPlatform().daemon().name("process-reactor").start(this::loop);
  }

  /** Starts a reactor and its thread; they live as long as the JVM. */
  static ChildReactor start(LinuxCalls calls) throws IOException {
    return new ChildReactor(calls);
  }

  /** Hands {@code child} to the reactor, which watches it from now on. */
  void watch(NativeChild child) {
    long id = nextId.incrementAndGet();
    child.id = id;
    children.put(id, child);
    try {
      calls.epollAdd(epfd, child.pidfd, id << 2 | PIDFD);
      calls.epollAdd(epfd, child.stdoutFd, id << 2 | STDOUT);
      calls.epollAdd(epfd, child.stderrFd, id << 2 | STDERR);
    } catch (IOException e) {
      child.rejection = e.getMessage();
      rejected.add(child);
      calls.ring(doorbell);
    }
  }

  /** Returns how many times epoll_wait returned so far (for tests). */
  long wakeups() {
    return wakeups;
  }

  /** Returns how many children are watched now (for tests). */
  int watched() {
    return children.size();
  }

  private void loop() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment events = arena.allocate(LinuxCalls.EPOLL_EVENT, MAX_EVENTS);
      MemorySegment buffer = arena.allocate(READ_CHUNK);
      MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
      MemorySegment state = LinuxCalls.allocateState(arena);
      while (true) {
        int n;
        try {
          n = calls.epollWait(epfd, events, -1, state);
          wakeups++; // single writer
        } catch (IOException e) {
          LOG.error("cannot watch check processes any more: {}", e.getMessage());
          return;
        }
        for (int i = 0; i < n; i++) {
          long token = LinuxCalls.eventData(events, i);
          if (token == DOORBELL) {
            calls.read(doorbell, buffer.asSlice(0, 8), state);
            abandonRejected();
          } else {
            try {
              dispatch(token, buffer, status, state);
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

  /** Takes a watched descriptor out of the epoll set, then closes it (see epollDel). */
  private void release(int fd, MemorySegment state) {
    calls.epollDel(epfd, fd, state);
    calls.close(fd);
  }

  private void dispatch(long token, MemorySegment buffer, MemorySegment status, MemorySegment state) {
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
      int reaped = child.reap(status, state);
      if (reaped == 0) {
        return; // readable but not reapable yet: wait for the next event
      }
      if (reaped < 0) {
        // Someone else waited for it (a wait for any child elsewhere in the JVM): the exit status
        // is gone; the run must not pass by accident.
        child.lost("exit status lost: " + calls.strerror(-reaped));
      }
      child.pidfdOpen = false;
      release(child.pidfd, state);
    } else {
      boolean open = kind == STDOUT ? child.stdoutOpen : child.stderrOpen;
      if (!open) {
        return;
      }
      int fd = kind == STDOUT ? child.stdoutFd : child.stderrFd;
      long got = calls.read(fd, buffer, state);
      if (got > 0) {
        child.output(kind, buffer, (int) got);
        return;
      }
      if (got < 0 && LinuxCalls.errno(state) == LinuxCalls.EAGAIN) {
        return;
      }
      if (kind == STDOUT) {
        child.stdoutOpen = false;
      } else {
        child.stderrOpen = false;
      }
      release(fd, state);
    }
    if (child.finishIfDone()) {
      children.remove(id);
    }
  }
}
