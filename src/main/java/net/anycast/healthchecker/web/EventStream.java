package net.anycast.healthchecker.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /api/v1/events}: Server-Sent Events of every health change, drain and reconfigure.
 *
 * <p>A stream lasts at most {@value #LIFETIME_MILLIS} ms and then ends cleanly; browsers (and
 * {@code curl} in a loop) reconnect with {@code Last-Event-ID} and are sent what they missed. The
 * bound keeps every response under the server's write deadline, so a client that stops reading
 * holds a connection for a minute at most. A comment line every {@value #KEEPALIVE_MILLIS} ms
 * keeps proxies from closing an idle stream.
 */
final class EventStream {
  static final long LIFETIME_MILLIS = 45_000;
  static final long KEEPALIVE_MILLIS = 15_000;
  static final long RETRY_MILLIS = 1_000;

  private final EventHub hub;

  EventStream(EventHub hub) {
    this.hub = hub;
  }

  void handle(HttpExchange ex) throws IOException, HttpError {
    if (!ex.getRequestMethod().equals("GET")) {
      throw HttpError.method(ex.getRequestMethod(), "GET");
    }
    long lastSeen = lastEventId(ex);
    Optional<EventHub.Subscription> sub = hub.subscribe(lastSeen);
    if (sub.isEmpty()) {
      ex.getResponseHeaders().set("Retry-After", "5");
      throw new HttpError(503, "too many event streams open; try again later");
    }
    try (EventHub.Subscription s = sub.get()) {
      var h = ex.getResponseHeaders();
      h.set("Content-Type", "text/event-stream; charset=utf-8");
      h.set("Cache-Control", "no-store");
      h.set("X-Accel-Buffering", "no");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        send(out, "retry: " + RETRY_MILLIS + "\n: connected, last event " + hub.lastId()
            + "\n\n");
        long end = System.nanoTime() + LIFETIME_MILLIS * 1_000_000;
        while (true) {
          long left = (end - System.nanoTime()) / 1_000_000;
          if (left <= 0 || s.overflowed()) {
            return;
          }
          Event e = s.next(Math.min(left, KEEPALIVE_MILLIS));
          send(out, e == null ? ": keepalive\n\n" : e.wire());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static long lastEventId(HttpExchange ex) {
    String id = ex.getRequestHeaders().getFirst("Last-Event-ID");
    if (id == null) {
      return -1;
    }
    try {
      return Long.parseLong(id.strip());
    } catch (NumberFormatException e) {
      return 0; // unknown position: the hub sends a resync
    }
  }
}
