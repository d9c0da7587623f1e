package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import net.anycast.healthchecker.reactor.Reactor;
import net.anycast.healthchecker.reactor.Timer;

/**
 * The idle kept-alive connections of one reactor's plain-HTTP checks, by server (address, port,
 * source address): checks of the same server share them, as {@link HttpTarget} shares the
 * others', so a server sees about as many connections as requests in flight at once, not one
 * per service. On the reactor thread only: no lock.
 *
 * <p>A connection idle for {@link #IDLE_LIMIT} is closed by a timer of the reactor: without it,
 * connections to a server no check asks any more (its service removed by a reload, its URL
 * changed) stayed open until the server closed them, which some never do. A check whose
 * interval is longer than the limit opens a new connection for each run.
 */
final class HttpIdleConnections {
  /** How long a connection may stay idle before it is closed. */
  static final Duration IDLE_LIMIT = Duration.ofMinutes(2);

  /** An idle connection and since when (the reactor's clock). */
  private record Idle(HttpChannel channel, long sinceNanos) {}

  private final Reactor reactor;
  private final Map<HttpTarget.Key, ArrayDeque<Idle>> idle = new HashMap<>();
  private final Timer sweep = new Timer(this::sweep);

  HttpIdleConnections(Reactor reactor) {
    this.reactor = reactor;
  }

  /**
   * Returns the most recently used idle connection to {@code key}'s server that is still open,
   * or null; closed ones (the server closed them while idle) are dropped on the way.
   */
  HttpChannel take(HttpTarget.Key key) {
    ArrayDeque<Idle> q = idle.get(key);
    while (q != null && !q.isEmpty()) {
      HttpChannel c = q.pollFirst().channel();
      if (c.open()) {
        return c;
      }
    }
    return null;
  }

  /** Keeps {@code c}, open and idle after a complete response, for the next request. */
  void giveBack(HttpTarget.Key key, HttpChannel c) {
    long now = reactor.nanoTime();
    idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(new Idle(c, now));
    if (!sweep.armed()) {
      reactor.arm(sweep, now + IDLE_LIMIT.toNanos());
    }
  }

  /** Returns how many idle connections are kept (for tests). */
  int size() {
    return idle.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  /**
   * Closes every connection idle for the limit (the oldest are at the tail of each server's
   * queue), forgets servers with none left, and comes back when the oldest remaining one is due.
   */
  private void sweep() {
    long now = reactor.nanoTime();
    long limit = IDLE_LIMIT.toNanos();
    long next = Long.MAX_VALUE;
    for (Iterator<ArrayDeque<Idle>> it = idle.values().iterator(); it.hasNext(); ) {
      ArrayDeque<Idle> q = it.next();
      while (!q.isEmpty() && (now - q.peekLast().sinceNanos() >= limit
          || !q.peekLast().channel().open())) {
        q.pollLast().channel().close();
      }
      if (q.isEmpty()) {
        it.remove();
      } else {
        next = Math.min(next, q.peekLast().sinceNanos() + limit);
      }
    }
    if (next != Long.MAX_VALUE) {
      reactor.arm(sweep, next);
    }
  }
}
