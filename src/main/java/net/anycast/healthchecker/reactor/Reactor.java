package net.anycast.healthchecker.reactor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread running a NIO {@link Selector} and its own {@link Timers}: every channel registered
 * here and every timer armed here is served by that thread alone, so their state needs no lock.
 * Other threads hand work in with {@link #execute} (a queue and one selector wake-up).
 *
 * <p>A handler or task that throws is logged and the loop goes on (a failing handler's channel
 * is closed): one check's bug must not stop every other check on the reactor. Nothing run here
 * may block.
 */
public final class Reactor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reactor.class);
  /** The read buffer every channel of the reactor shares: bytes are consumed as they arrive. */
  private static final int SCRATCH = 16 * 1024;

  /** What a registered channel does when it is ready. */
  @FunctionalInterface
  public interface Handler {
    /** Called on the reactor thread with the key's ready operations. */
    void ready(SelectionKey key);
  }

  private final Selector selector;
  private final LongSupplier nanoTime;
  private final Timers timers = new Timers();
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean woken = new AtomicBoolean();
  /**
   * When the thread will wake by itself (the reactor's clock): the next timer while it waits in
   * select, {@link Long#MAX_VALUE} when no timer is armed, {@link Long#MIN_VALUE} while it is
   * awake (it looks at the task queue again before it waits).
   */
  private volatile long wakesAt = Long.MIN_VALUE;
  private final ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH);
  private final Thread thread;
  private volatile boolean closed;

  private Reactor(String name, LongSupplier nanoTime) throws IOException {
    this.selector = Selector.open();
    this.nanoTime = nanoTime;
    this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
  }

  /**
   * Returns a started reactor whose thread is called {@code name}, its timers on the monotonic
   * clock {@code nanoTime} (nanoseconds; only differences count).
   */
  public static Reactor start(String name, LongSupplier nanoTime) {
    try {
      Reactor r = new Reactor(name, nanoTime);
      r.thread.start();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
  }

  /** Returns the reactor's clock. */
  public long nanoTime() {
    return nanoTime.getAsLong();
  }

  /** Returns whether the caller is the reactor's thread. */
  public boolean inReactor() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} on the reactor thread soon; from any thread. Dropped once closed. */
  public void execute(Runnable task) {
    tasks.add(task);
    if (!inReactor() && woken.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  /**
   * Runs {@code task} on the reactor thread no later than {@code atNanos} (the reactor's clock),
   * from any thread; on it, at once. For work tied to a timer, such as arming one for the next
   * slot or disarming one that is no longer needed: the thread is woken only when it would
   * otherwise sleep past {@code atNanos}, not for every hand-in ({@link #execute} always wakes
   * it). A check that ends on another thread re-arms its loop's timer a second ahead; waking the
   * reactor for that cost a wake-up and its cross-CPU interrupt per check.
   */
  public void runBy(long atNanos, Runnable task) {
    if (inReactor()) {
      task.run();
      return;
    }
    tasks.add(task);
    // Read after the add; the thread publishes wakesAt before it reads the queue a last time:
    // either it sees the task before it sleeps, or this sees when it will wake.
    long wakes = wakesAt;
    boolean late = wakes != Long.MIN_VALUE && atNanos != Long.MAX_VALUE
        && (wakes == Long.MAX_VALUE || atNanos - wakes < 0);
    if (late && woken.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  /** Returns whether the thread waits in select (for tests of {@link #runBy}). */
  boolean asleep() {
    return wakesAt != Long.MIN_VALUE;
  }

  /** Runs {@code task} now when called on the reactor thread, else soon on it. */
  public void run(Runnable task) {
    if (inReactor()) {
      task.run();
    } else {
      execute(task);
    }
  }

  /** Arms {@code t} for {@code atNanos} (the reactor's clock); on the reactor thread only. */
  public void arm(Timer t, long atNanos) {
    assertInReactor();
    timers.arm(t, atNanos);
  }

  /** Disarms {@code t}; on the reactor thread only. */
  public void disarm(Timer t) {
    assertInReactor();
    timers.disarm(t);
  }

  /**
   * Registers {@code channel} (non-blocking) for {@code ops}, {@code handler} called when it is
   * ready; on the reactor thread only.
   */
  public SelectionKey register(SelectableChannel channel, int ops, Handler handler)
      throws ClosedChannelException {
    assertInReactor();
    return channel.register(selector, ops, handler);
  }

  /**
   * Returns the reactor's read buffer, cleared: valid until the handler returns, so a reader
   * copies what it keeps. One per reactor instead of one per connection.
   */
  public ByteBuffer scratch() {
    assertInReactor();
    return scratch.clear();
  }

  private void assertInReactor() {
    if (!inReactor()) {
      throw new IllegalStateException("not on " + thread.getName());
    }
  }

  private void loop() {
    try {
      while (!closed) {
        turn();
      }
    } finally {
      closeChannels();
    }
  }

  private void turn() {
    woken.set(false);
    for (Runnable task; (task = tasks.poll()) != null; ) {
      safely(task);
    }
    runTimers();
    try {
      long next = timers.nextDue();
      wakesAt = next; // before the queue is read again: see runBy
      if (!tasks.isEmpty()) {
        selector.selectNow();
      } else if (next == Long.MAX_VALUE) {
        selector.select();
      } else {
        long waitNanos = next - nanoTime.getAsLong();
        if (waitNanos <= 0) {
          selector.selectNow();
        } else {
          // Rounded up: waking a little after a timer is due costs nothing, before it a turn.
          selector.select(Math.ceilDiv(waitNanos, 1_000_000));
        }
      }
    } catch (IOException e) {
      wakesAt = Long.MIN_VALUE;
      LOG.error("{}: select failed: {}", thread.getName(), e.toString());
      return;
    }
    wakesAt = Long.MIN_VALUE;
    Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
    while (ready.hasNext()) {
      SelectionKey key = ready.next();
      ready.remove();
      if (key.isValid()) {
        ready(key);
      }
    }
  }

  /**
   * Calls the key's handler. One that throws has a bug: its channel is closed, or a level-
   * triggered selector would hand the same key back on every turn (the check's deadline timer
   * ends its run).
   */
  private void ready(SelectionKey key) {
    try {
      ((Handler) key.attachment()).ready(key);
    } catch (RuntimeException e) {
      LOG.error("{}: a channel's handler failed; closing the channel", thread.getName(), e);
      try {
        key.channel().close();
      } catch (IOException closing) {
        // Nothing to do: the descriptor is released either way.
      }
    }
  }

  private void runTimers() {
    while (true) {
      try {
        timers.runDue(nanoTime.getAsLong());
        return;
      } catch (RuntimeException e) {
        LOG.error("{}: a timer failed", thread.getName(), e);
      }
    }
  }

  private void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.error("{}: a task failed", thread.getName(), e);
    }
  }

  private void closeChannels() {
    for (SelectionKey key : selector.keys()) {
      try {
        key.channel().close();
      } catch (IOException e) {
        // Nothing to do: the descriptor is released either way.
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // As above.
    }
  }

  /**
   * Stops the thread: pending tasks and timers never run, every registered channel is closed.
   * Waits for the thread unless called on it.
   */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    if (!inReactor()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
