package net.anycast.healthchecker.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes whole responses: JSON, plain text, errors as {@code {"error": …}}. */
final class Replies {
  private Replies() {}

  static void json(HttpExchange ex, int status, String json) throws IOException {
    send(ex, status, "application/json", json + "\n");
  }

  static void error(HttpExchange ex, int status, String message) throws IOException {
    if (status == 401) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"anycast-healthchecker\"");
    }
    json(ex, status, new JsonWriter().beginObject().name("error").value(message).endObject()
        .toString());
  }

  static void text(HttpExchange ex, int status, String text) throws IOException {
    send(ex, status, "text/plain; charset=utf-8", text);
  }

  static void send(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange ex, int status, String contentType, byte[] body)
      throws IOException {
    var h = ex.getResponseHeaders();
    h.set("Content-Type", contentType);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
