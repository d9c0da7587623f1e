package net.anycast.healthchecker.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The status page: three plain files in the jar (HTML, CSS, JS), no CDN and no build step. Read
 * once at start; served with a policy that lets the page load nothing but itself.
 */
final class StaticPage {
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none';"
      + " frame-ancestors 'none'";
  private record File(String type, byte[] bytes) {}

  private final Map<String, File> files = Map.of(
      "", load("index.html", "text/html; charset=utf-8"),
      "app.js", load("app.js", "text/javascript; charset=utf-8"),
      "style.css", load("style.css", "text/css; charset=utf-8"));

  /** Serves {@code name} ("" for the page itself); false when there is no such file. */
  boolean serve(HttpExchange ex, String name) throws IOException, HttpError {
    File f = files.get(name);
    if (f == null) {
      return false;
    }
    if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
      throw HttpError.method(ex.getRequestMethod(), "GET, HEAD");
    }
    ex.getResponseHeaders().set("Content-Security-Policy", CSP);
    ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    Replies.send(ex, 200, f.type(), f.bytes());
    return true;
  }

  private static File load(String name, String type) {
    try (InputStream in = StaticPage.class.getResourceAsStream("page/" + name)) {
      if (in == null) {
        throw new IllegalStateException("page/" + name + " missing from the jar");
      }
      return new File(type, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
