package net.anycast.healthchecker.schedule;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An executor for tests: runs tasks inline, or holds them until {@link #release} when
 * {@code hold} is set (a check still running on another thread).
 */
final class HeldExecutor extends AbstractExecutorService {
  private final Deque<Runnable> held = new ArrayDeque<>();
  private boolean hold;
  private boolean shutdown;

  HeldExecutor holding(boolean hold) {
    this.hold = hold;
    return this;
  }

  int held() {
    return held.size();
  }

  /** Runs the oldest held task. */
  void release() {
    held.removeFirst().run();
  }

  @Override
  public void execute(Runnable task) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    if (hold) {
      held.add(task);
    } else {
      task.run();
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> out = List.copyOf(held);
    held.clear();
    return out;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
