package net.anycast.healthchecker.check;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The idle kept-alive connections of one reactor's plain-HTTP checks, by server (address, port,
 * source address): checks of the same server share them, as {@link HttpTarget} shares the
 * others', so a server sees about as many connections as requests in flight at once, not one
 * per service. On the reactor thread only: no lock.
 */
final class HttpIdleConnections {
  private final Map<HttpTarget.Key, ArrayDeque<HttpChannel>> idle = new HashMap<>();

  /**
   * Returns the most recently used idle connection to {@code key}'s server that is still open,
   * or null; closed ones (the server closed them while idle) are dropped on the way.
   */
  HttpChannel take(HttpTarget.Key key) {
    ArrayDeque<HttpChannel> q = idle.get(key);
    while (q != null && !q.isEmpty()) {
      HttpChannel c = q.pollFirst();
      if (c.open()) {
        return c;
      }
    }
    return null;
  }

  /** Keeps {@code c}, open and idle after a complete response, for the next request. */
  void giveBack(HttpTarget.Key key, HttpChannel c) {
    idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(c);
  }
}
