package net.anycast.healthchecker.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler of the listener: parses the path safely, dispatches, and turns every refusal
 * into {@code {"error": …}} with its status. A bug in an endpoint answers 500 and is logged; it
 * never reaches the server's threads.
 */
final class Router implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final ApiEndpoints api;
  private final EventStream events;
  private final HacheckEndpoints hacheck;
  private final StaticPage page;
  private final HttpHandler metrics; // null: not served here

  Router(ApiEndpoints api, EventStream events, HacheckEndpoints hacheck, StaticPage page,
      HttpHandler metrics) {
    this.api = api;
    this.events = events;
    this.hacheck = hacheck;
    this.page = page;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        route(ex, RequestPath.parse(ex.getRequestURI().getRawPath()));
      } catch (HttpError e) {
        if (e.allow() != null) {
          ex.getResponseHeaders().set("Allow", e.allow());
        }
        Replies.error(ex, e.status(), e.getMessage());
      } catch (IOException e) {
        throw e; // the client went away or timed out: nothing to answer
      } catch (RuntimeException e) {
        LOG.error("HTTP {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
        Replies.error(ex, 500, "internal error: " + e);
      }
    }
  }

  private void route(HttpExchange ex, RequestPath path) throws IOException, HttpError {
    List<String> s = path.segments();
    if (s.isEmpty()) {
      if (page.serve(ex, "")) {
        return;
      }
    } else if (s.size() == 2 && s.get(0).equals("static") && page.serve(ex, s.get(1))) {
      return;
    } else if (path.is("metrics") && metrics != null) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        throw HttpError.method(ex.getRequestMethod(), "GET, HEAD");
      }
      metrics.handle(ex);
      return;
    } else if (s.size() >= 2 && s.get(0).equals("api") && s.get(1).equals("v1")) {
      RequestPath rest = new RequestPath(s.subList(2, s.size()), path.trailingSlash());
      if (rest.is("events")) {
        events.handle(ex);
        return;
      }
      if (api.handle(ex, rest)) {
        return;
      }
    } else if (s.getFirst().equals("spool")) {
      hacheck.spool(ex, new RequestPath(s.subList(1, s.size()), path.trailingSlash()));
      return;
    } else if (ProxyTarget.Kind.of(s.getFirst()) != null) {
      hacheck.proxy(ex, ProxyTarget.Kind.of(s.getFirst()),
          new RequestPath(s.subList(1, s.size()), path.trailingSlash()));
      return;
    } else if (path.is("status")) {
      hacheck.status(ex);
      return;
    }
    throw HttpError.notFound("no such endpoint: " + ex.getRequestURI().getRawPath()
        + " (see docs/api.md)");
  }
}
