package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.anycast.healthchecker.reactor.Reactor;

/** Moves the clock of a test's reactor: only once the reactor has done what it was given. */
final class ReactorClock {
  private ReactorClock() {}

  /**
   * Waits until {@code reactor} has run every task handed to it so far (a check's begin), then
   * moves {@code clock} by {@code d}; the next turn of the loop runs what fell due.
   */
  static void advance(Reactor reactor, AtomicLong clock, Duration d) throws Exception {
    CompletableFuture<Void> turned = new CompletableFuture<>();
    reactor.execute(() -> turned.complete(null));
    turned.get(10, TimeUnit.SECONDS);
    clock.addAndGet(d.toNanos());
    reactor.execute(() -> {});
  }
}
