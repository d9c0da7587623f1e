package net.anycast.healthchecker.daemon;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daemon's stop, as signals ask for it: the first request starts a stop, a later one
 * ("SIGTERM twice") asks to exit now, cutting short any wait of the stop.
 */
final class StopRequest {
  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch forced = new CountDownLatch(1);
  private final AtomicReference<String> signal = new AtomicReference<>();

  /** Records a stop request; {@code by} names the signal, or null for a programmatic stop. */
  void request(String by) {
    signal.compareAndSet(null, by == null ? "a stop request" : by);
    requested.countDown();
  }

  /** Records a request to exit now. */
  void force() {
    forced.countDown();
  }

  /** Waits until a stop is requested. */
  void await() throws InterruptedException {
    requested.await();
  }

  /** Returns what asked for the stop, once one was asked for. */
  Optional<String> by() {
    return Optional.ofNullable(signal.get());
  }

  /** Returns true when asked to exit now. */
  boolean forced() {
    return forced.getCount() == 0;
  }

  /**
   * Waits up to {@code limit}, or less when asked to exit now; returns true when it was asked to
   * exit now.
   */
  boolean awaitForced(Duration limit) throws InterruptedException {
    return forced.await(Math.max(0, limit.toNanos()), TimeUnit.NANOSECONDS);
  }
}
