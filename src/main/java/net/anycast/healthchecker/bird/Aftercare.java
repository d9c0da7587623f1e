package net.anycast.healthchecker.bird;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One thread of its own for what a prefix file write leaves to do once BIRD was told: letting go
 * of the version the rename replaced, and the history copies. Both can wait on the disk for a
 * long time where nothing should wait: on a filesystem mounted with {@code discard}, freeing a
 * file's blocks sends the device a discard and waits for it (300 ms on the test VM's disk, now
 * and then), and the rename over the old version would free them on the way to BIRD.
 *
 * <p>The thread starts with the first task and keeps their order (history copies are pruned
 * oldest first). {@link #close()} lets the queued tasks finish, for a bounded time.
 */
final class Aftercare implements Executor, AutoCloseable {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final String name;
  private ExecutorService thread; // started by the first task
  private boolean closed;

  Aftercare(String name) {
    this.name = name;
  }

  /** Queues {@code task}; after {@link #close()} it runs on the caller's thread. */
  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (!closed) {
        if (thread == null) {
          thread = Executors.newSingleThreadExecutor(
              Thread.ofPlatform().name(name).daemon().factory());
        }
        thread.execute(task);
        return;
      }
    }
    task.run();
  }

  @Override
  public void close() {
    ExecutorService t;
    synchronized (this) {
      closed = true;
      t = thread;
    }
    if (t == null) {
      return;
    }
    t.shutdown();
    try {
      t.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
