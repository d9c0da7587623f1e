package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** hacheck's {@code /http/…}, {@code /https/…}, {@code /tcp/…} on the API's listener. */
class ProxyComponentTest extends WebServerHarness {
  private HttpServer backend;
  private final AtomicReference<String> seen = new AtomicReference<>("");

  @BeforeEach
  void backend() throws IOException {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    backend.createContext("/", ex -> {
      seen.set(ex.getRequestURI().toString());
      reply(ex, ex.getRequestURI().getPath().startsWith("/sick") ? 500 : 200, "backend says hi");
    });
    backend.start();
  }

  @AfterEach
  void stopBackend() {
    backend.stop(0);
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  private int port() {
    return backend.getAddress().getPort();
  }

  @Test
  void http_upService_passesStatusAndBodyThrough_withPathAndQuery() throws Exception {
    HttpResponse<String> r = get("/http/web/" + port() + "/health/deep?verbose=1");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("backend says hi");
    assertThat(seen.get()).isEqualTo("/health/deep?verbose=1");
  }

  @Test
  void http_failingBackend_statusPassedThrough() throws Exception {
    assertThat(get("/http/web/" + port() + "/sick").statusCode()).isEqualTo(500);
  }

  @Test
  void drainedService_is503_fromTheSpool_withoutProbing() throws Exception {
    inputs.set(inputs.get().withDrains(Drains.of(List.of(Drain.of("web", "upgrade")))));

    HttpResponse<String> r = get("/http/web/" + port() + "/never");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("Service web in down state: upgrade");
    assertThat(seen.get()).isEmpty();
  }

  @Test
  void http_refused_is599() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }

    HttpResponse<String> r = get("/https/web/" + closed + "/");

    assertThat(r.statusCode()).isEqualTo(599);
    assertThat(r.body()).startsWith("connect");
  }

  @Test
  void tcp_connects_toTheLoopbackPort() throws Exception {
    HttpResponse<String> r = get("/tcp/web/" + port() + "/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("connected to tcp://127.0.0.1:" + port());
  }

  @Test
  void post_isNotAllowed_andBadPort_is400() throws Exception {
    assertThat(send("POST", "/tcp/web/" + port() + "/", "x").statusCode()).isEqualTo(405);
    HttpResponse<String> bad = get("/http/web/http:%2f%2fevil/x");
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  @Test
  void status_countsProxiedChecks() throws Exception {
    get("/tcp/web/" + port() + "/");

    Map<String, Object> doc = Json.object(get("/status").body());

    assertThat(((Number) Json.at(doc, "proxied_checks")).longValue()).isEqualTo(1);
  }
}
