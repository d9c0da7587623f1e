package net.anycast.healthchecker.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.InstantSource;
import java.util.function.Supplier;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.SpoolDirectory;
import net.anycast.healthchecker.override.SpoolNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/…} but the event stream: status, one service, drain and undrain. Drains are
 * spool files written by the same {@link SpoolDirectory} as the CLI, so the daemon applies them
 * the way it applies the CLI's (its watcher sees the file) and every path agrees.
 */
final class ApiEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(ApiEndpoints.class);

  private final Supplier<ApiSnapshot> snapshot;
  private final Supplier<Inputs> inputs;
  private final SpoolDirectory spool;
  private final WriteAccess access;
  private final InstantSource clock;
  private final ReloadAction reload; // null: no reload endpoint

  ApiEndpoints(Supplier<ApiSnapshot> snapshot, Supplier<Inputs> inputs, SpoolDirectory spool,
      WriteAccess access, InstantSource clock, ReloadAction reload) {
    this.snapshot = snapshot;
    this.inputs = inputs;
    this.spool = spool;
    this.access = access;
    this.clock = clock;
    this.reload = reload;
  }

  /** Answers {@code path} (after {@code /api/v1}); false when no endpoint has that path. */
  boolean handle(HttpExchange ex, RequestPath path) throws IOException, HttpError {
    String method = ex.getRequestMethod();
    if (path.is("status")) {
      requireRead(method);
      Replies.json(ex, 200, StatusJson.status(snapshot.get()));
      return true;
    }
    if (path.is("drain")) {
      write(ex, method, SpoolNames.ALL);
      return true;
    }
    if (path.is("reload") && reload != null) {
      reload(ex, method);
      return true;
    }
    if (path.size() == 2 && path.get(0).equals("services")) {
      requireRead(method);
      String name = path.get(1);
      String json = StatusJson.service(snapshot.get(), name)
          .orElseThrow(() -> unknownService(name));
      Replies.json(ex, 200, json);
      return true;
    }
    if (path.size() == 3 && path.get(0).equals("services") && path.get(2).equals("drain")) {
      String name = path.get(1);
      if (!configured(name)) {
        // Method first would tell a stranger nothing more; the name is what is wrong here.
        throw unknownService(name);
      }
      write(ex, method, name);
      return true;
    }
    return false;
  }

  private void write(HttpExchange ex, String method, String spoolName)
      throws IOException, HttpError {
    if (!method.equals("PUT") && !method.equals("DELETE")) {
      throw HttpError.method(method, "PUT, DELETE");
    }
    String client = ex.getRemoteAddress().getAddress().getHostAddress();
    try {
      SpoolNames.requireValid(spoolName);
    } catch (IllegalArgumentException e) {
      // A section name may hold what a file name may not (a leading dot, say).
      throw HttpError.badRequest("service '" + spoolName + "' cannot be drained through a spool"
          + " file: " + e.getMessage());
    }
    try {
      access.check(ex);
    } catch (HttpError e) {
      LOG.warn("API refused {} of {} from {}: {}", method.equals("PUT") ? "drain" : "undrain",
          spoolName, client, e.getMessage());
      throw e;
    }
    if (method.equals("PUT")) {
      Drain wanted = DrainBody.parse(Bodies.read(ex), spoolName, clock.instant());
      Drain written;
      try {
        written = spool.write(wanted);
      } catch (IOException e) {
        LOG.error("API drain of {} from {} failed: cannot write {}: {}", spoolName, client,
            spool.fileFor(spoolName), e.toString());
        throw new HttpError(500, "cannot write the spool file: " + e.getMessage());
      }
      LOG.info("API drained {} for {}: {}{}", spoolName, client, written.reason(),
          written.expiration().map(t -> " (until " + t + ")").orElse(""));
      Replies.json(ex, 200, ChangeEvents.drain(written));
    } else {
      boolean removed;
      try {
        removed = spool.remove(spoolName);
      } catch (IOException e) {
        LOG.error("API undrain of {} from {} failed: {}", spoolName, client, e.toString());
        throw new HttpError(500, "cannot remove the spool file: " + e.getMessage());
      }
      LOG.info("API undrained {} for {}{}", spoolName, client,
          removed ? "" : " (it was not drained)");
      Replies.json(ex, 200, new JsonWriter().beginObject().name("name").value(spoolName)
          .name("removed").value(removed).endObject().toString());
    }
  }

  /**
   * {@code POST /api/v1/reload}: the reload SIGHUP runs; 200 applied, 422 the files hold
   * mistakes (nothing changed), 409 refused (the daemon is stopping).
   */
  private void reload(HttpExchange ex, String method) throws IOException, HttpError {
    if (!method.equals("POST")) {
      throw HttpError.method(method, "POST");
    }
    String client = ex.getRemoteAddress().getAddress().getHostAddress();
    try {
      access.check(ex);
    } catch (HttpError e) {
      LOG.warn("API refused a reload from {}: {}", client, e.getMessage());
      throw e;
    }
    LOG.info("API reload asked by {}", client);
    ReloadAction.Result r = reload.reload("API request from " + client);
    int status = switch (r.result()) {
      case "applied" -> 200;
      case "invalid" -> 422;
      default -> 409;
    };
    JsonWriter w = new JsonWriter().beginObject().name("result").value(r.result())
        .name("summary").value(r.summary());
    array(w.name("changes"), r.changes());
    array(w.name("errors"), r.errors());
    array(w.name("needs_restart"), r.needsRestart());
    Replies.json(ex, status, w.endObject().toString());
  }

  private static void array(JsonWriter w, java.util.List<String> lines) {
    w.beginArray();
    lines.forEach(w::value);
    w.endArray();
  }

  private boolean configured(String name) {
    for (ServiceConfig s : inputs.get().services()) {
      if (s.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static void requireRead(String method) throws HttpError {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw HttpError.method(method, "GET, HEAD");
    }
  }

  private static HttpError unknownService(String name) {
    return HttpError.notFound("no service named '" + name + "' is configured");
  }
}
