package net.anycast.healthchecker.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import net.anycast.healthchecker.override.SpoolDirectory;
import net.anycast.healthchecker.override.SpoolNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * hacheck's endpoints (see reference/hacheck-spool.md), for load balancers and scripts that
 * already speak to hacheck: {@code GET /spool/<service>/<port>/…} answers 200 or 503 from the
 * drains, {@code POST /spool/<service>/<port>/} drains or undrains (only with {@code
 * allow_remote_spool_changes = true} and the API token), {@code GET /status} counts requests,
 * and {@code GET /http|https|tcp/<service>/<port>/…} answers from the drains first, then from a
 * probe of the local port ({@link ProxyChecks}).
 */
final class HacheckEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(HacheckEndpoints.class);

  private final Supplier<Drains> drains;
  private final SpoolDirectory spool;
  private final WriteAccess access;
  private final BooleanSupplier remoteChanges; // a reload may switch it
  private final InstantSource clock;
  private final Instant started;
  private final AtomicLong spoolRequests = new AtomicLong();
  private final AtomicLong spoolDown = new AtomicLong();
  private final AtomicLong proxied = new AtomicLong();
  private final ProxyChecks probes;

  HacheckEndpoints(Supplier<Drains> drains, SpoolDirectory spool, WriteAccess access,
      BooleanSupplier remoteChanges, InstantSource clock, ProxyChecks probes) {
    this.probes = probes;
    this.drains = drains;
    this.spool = spool;
    this.access = access;
    this.remoteChanges = remoteChanges;
    this.clock = clock;
    this.started = clock.instant();
  }

  /** {@code /spool/<service>/<port>/…}: {@code path} is what follows {@code /spool}. */
  void spool(HttpExchange ex, RequestPath path) throws IOException, HttpError {
    if (path.size() < 2) {
      throw HttpError.notFound("expected /spool/<service>/<port>/<anything>");
    }
    String service = path.get(0);
    int port = port(path.get(1));
    switch (ex.getRequestMethod()) {
      case "GET", "HEAD" -> answer(ex, service, port);
      case "POST" -> change(ex, service, port);
      default -> throw HttpError.method(ex.getRequestMethod(), "GET, HEAD, POST");
    }
  }

  /**
   * {@code /http|https|tcp/<service>/<port>/…}: {@code rest} is what follows the kind. The
   * drains first, as for {@code /spool}; then the probe's status, passed through.
   */
  void proxy(HttpExchange ex, ProxyTarget.Kind kind, RequestPath rest)
      throws IOException, HttpError {
    if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
      throw HttpError.method(ex.getRequestMethod(), "GET, HEAD");
    }
    ProxyTarget target = ProxyTarget.of(kind, rest, ex.getRequestURI().getRawQuery());
    spoolRequests.incrementAndGet();
    Optional<Drain> down = downBy(drains.get().activeAt(clock.instant()), target.service(),
        target.port());
    if (down.isPresent()) {
      spoolDown.incrementAndGet();
      Replies.text(ex, 503, downText(down.get()));
      return;
    }
    proxied.incrementAndGet();
    ProxyAnswer a;
    try {
      a = probes.answer(target);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("the listener is closing", e);
    }
    // 204 and 304 carry no body by definition; the JDK's server refuses one.
    Replies.text(ex, a.status(), a.status() == 204 || a.status() == 304 ? "" : a.body());
  }

  /** {@code GET /status}: uptime and request counters, as JSON. */
  void status(HttpExchange ex) throws IOException, HttpError {
    if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
      throw HttpError.method(ex.getRequestMethod(), "GET, HEAD");
    }
    Instant now = clock.instant();
    Replies.json(ex, 200, new JsonWriter().beginObject()
        .name("uptime").value((now.toEpochMilli() - started.toEpochMilli()) / 1000)
        .name("spool_requests").value(spoolRequests.get())
        .name("spool_down").value(spoolDown.get())
        .name("proxied_checks").value(proxied.get())
        .name("drains").value(drains.get().all().size())
        .endObject().toString());
  }

  private void answer(HttpExchange ex, String service, int port) throws IOException {
    spoolRequests.incrementAndGet();
    Optional<Drain> down = downBy(drains.get().activeAt(clock.instant()), service, port);
    if (down.isEmpty()) {
      Replies.text(ex, 200, "Service " + service + " in up state");
      return;
    }
    spoolDown.incrementAndGet();
    Replies.text(ex, 503, downText(down.get()));
  }

  /** hacheck's lookup: {@code all}, then the service, then {@code service:port}; first wins. */
  static Optional<Drain> downBy(Drains drains, String service, int port) {
    Optional<Drain> d = drains.byName(SpoolNames.ALL);
    if (d.isEmpty()) {
      d = drains.byName(service);
    }
    if (d.isEmpty() && port > 0) {
      d = drains.byName(service + ":" + port);
    }
    return d;
  }

  /** hacheck's 503 body: {@code Service <name> in down state[ since …][ until …][: reason]}. */
  static String downText(Drain d) {
    StringBuilder sb = new StringBuilder("Service ").append(d.spoolName())
        .append(" in down state");
    d.creation().ifPresent(t -> sb.append(" since ").append(unix(t)));
    d.expiration().ifPresent(t -> sb.append(" until ").append(unix(t)));
    if (!d.reason().isEmpty()) {
      sb.append(": ").append(d.reason());
    }
    return sb.toString();
  }

  private void change(HttpExchange ex, String service, int port) throws IOException, HttpError {
    String client = ex.getRemoteAddress().getAddress().getHostAddress();
    if (!remoteChanges.getAsBoolean()) {
      LOG.warn("refused a spool change of {} from {}: allow_remote_spool_changes is off",
          service, client);
      throw new HttpError(403, "remote spool changes are not enabled");
    }
    access.check(ex);
    Map<String, String> form = form(Bodies.read(ex));
    String name = port == 0 ? service : service + ":" + port;
    try {
      SpoolNames.requireValid(name);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    String status = form.getOrDefault("status", "");
    switch (status) {
      case "down" -> {
        Instant now = clock.instant();
        Drain d = Drain.of(name, form.getOrDefault("reason", ""))
            .withCreation(form.containsKey("creation") ? time(form.get("creation"), "creation")
                : now);
        if (form.containsKey("expiration") && !form.get("expiration").isBlank()) {
          d = d.withExpiration(time(form.get("expiration"), "expiration"));
        }
        try {
          spool.write(d);
        } catch (IOException e) {
          // Not the client's I/O: answer 500 as the JSON API does, rather than let the router
          // take it for a client that went away and close the connection without a word.
          LOG.error("hacheck API drain of {} from {} failed: cannot write {}: {}", name, client,
              spool.fileFor(name), e.toString());
          throw new HttpError(500, "cannot write the spool file: " + e.getMessage());
        }
        LOG.info("hacheck API drained {} for {}: {}", name, client, d.reason());
      }
      case "up" -> {
        try {
          spool.remove(name);
        } catch (IOException e) {
          LOG.error("hacheck API undrain of {} from {} failed: {}", name, client, e.toString());
          throw new HttpError(500, "cannot remove the spool file: " + e.getMessage());
        }
        LOG.info("hacheck API undrained {} for {}", name, client);
      }
      default -> throw HttpError.badRequest("status must be up or down");
    }
    Replies.text(ex, 200, "");
  }

  private static Map<String, String> form(String body) throws HttpError {
    Map<String, String> out = new HashMap<>();
    if (body.isBlank()) {
      return out;
    }
    for (String pair : body.strip().split("&")) {
      int eq = pair.indexOf('=');
      try {
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
            StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
            StandardCharsets.UTF_8);
        out.putIfAbsent(key, value);
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("the form body is not URL-encoded");
      }
    }
    return out;
  }

  private static Instant time(String text, String field) throws HttpError {
    try {
      BigDecimal secs = new BigDecimal(text.strip());
      return Instant.ofEpochMilli(
          secs.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw HttpError.badRequest(field + " must be a Unix time in seconds");
    }
  }

  private static int port(String text) throws HttpError {
    try {
      int p = Integer.parseInt(text);
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw HttpError.badRequest("port must be a number from 0 to 65535");
  }

  private static String unix(Instant t) {
    return String.format(Locale.ROOT, "%f", t.toEpochMilli() / 1e3);
  }
}
