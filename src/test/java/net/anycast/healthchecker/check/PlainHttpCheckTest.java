package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import net.anycast.healthchecker.config.CheckSpec;
import net.anycast.healthchecker.config.StatusSet;
import net.anycast.healthchecker.reactor.Reactor;
import net.anycast.healthchecker.reactor.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reactor's plain-HTTP check against the JDK's HTTP server on loopback, with the same
 * verdicts and reasons as {@link HttpCheckTest}; the reactor's clock is the test's, so a timeout
 * is the clock passing the deadline.
 */
class PlainHttpCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  /** The configuration's default TLS options, also on http URLs (they are not used there). */
  private static final CheckSpec.Tls VERIFY = new CheckSpec.Tls(true, null, null);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Reactor reactor = Reactor.start("check-reactor-test", now::get);
  private final HttpIdleConnections idle = new HttpIdleConnections(reactor);
  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private volatile String seenHost = "";
  private HttpServer server;

  @BeforeEach
  void server() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    reactor.close();
  }

  private void handle(HttpExchange ex) throws IOException {
    clientPorts.add(ex.getRemoteAddress().getPort());
    seenHost = ex.getRequestHeaders().getFirst("Host");
    String path = ex.getRequestURI().getPath();
    switch (path) {
      case "/empty" -> {
        ex.sendResponseHeaders(204, -1);
        ex.close();
        return;
      }
      case "/chunked" -> {
        ex.sendResponseHeaders(200, 0); // no length: the JDK's server sends chunks
        for (int i = 0; i < 3; i++) {
          ex.getResponseBody().write(("part " + i + " ").getBytes(StandardCharsets.UTF_8));
          ex.getResponseBody().flush();
        }
        ex.close();
        return;
      }
      case "/slow" -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      default -> { }
    }
    int status = path.equals("/down") ? 503 : 200;
    byte[] body = ("service is " + (status == 200 ? "ready" : "not ready"))
        .getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static CheckSpec.Http spec(String url, Pattern body, List<CheckSpec.Header> headers) {
    return new CheckSpec.Http(URI.create(url), "GET", headers, StatusSet.SUCCESS, body, false,
        VERIFY, null);
  }

  private CheckResult run(CheckSpec.Http spec) throws InterruptedException {
    return new PlainHttpCheck(spec, reactor, idle).run(TIMEOUT);
  }

  @Test
  void ok_passesWithStatusInReason() throws Exception {
    CheckResult r = run(spec(url("/health"), null, List.of()));
    assertThat(r).isInstanceOf(CheckResult.Passed.class);
    assertThat(r.reason()).isEqualTo("HTTP 200 from " + url("/health"));
    assertThat(r.exitCode()).isEmpty();
  }

  @Test
  void wrongStatus_failsWithStatusAndUrl() throws Exception {
    CheckResult r = run(spec(url("/down"), null, List.of()));
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo("HTTP 503 from " + url("/down") + ", expected 200-299");
  }

  @Test
  void expectedStatusSet_acceptsListedCode() throws Exception {
    var s = new CheckSpec.Http(URI.create(url("/down")), "GET", List.of(),
        StatusSet.parse("200, 503"), null, false, VERIFY, null);
    assertThat(run(s).passed()).isTrue();
  }

  @Test
  void bodyRegex_matchesOrFails() throws Exception {
    assertThat(run(spec(url("/health"), Pattern.compile("is ready$"), List.of())).passed())
        .isTrue();
    CheckResult r = run(spec(url("/health"), Pattern.compile("^OK"), List.of()));
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo("HTTP 200 from " + url("/health")
        + ", body does not match /^OK/");
  }

  @Test
  void hostHeader_isSent() throws Exception {
    run(spec(url("/health"), null, List.of(new CheckSpec.Header("Host", "www.svc.test"))));
    assertThat(seenHost).isEqualTo("www.svc.test");
  }

  @Test
  void refused_failsWithConnectFailed() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CheckResult r = run(spec("http://127.0.0.1:" + port + "/", null, List.of()));
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo("connect failed (http://127.0.0.1:" + port + "/)");
  }

  @Test
  void slowServer_timesOutWhenTheClockPassesTheDeadline() throws Exception {
    CompletableFuture<CheckResult> result = new CompletableFuture<>();
    new PlainHttpCheck(spec(url("/slow"), null, List.of()), reactor, idle)
        .begin(Duration.ofMillis(300), result::complete);
    ReactorClock.advance(reactor, now, Duration.ofMillis(300));
    CheckResult r = result.get(10, TimeUnit.SECONDS);
    assertThat(r).isInstanceOf(CheckResult.TimedOut.class);
    assertThat(r.reason()).isEqualTo("timed out waiting for " + url("/slow"));
    assertThat(r.took()).isEqualTo(Duration.ofMillis(300));
    assertThat(r.exitCode()).as("a built-in timeout has no exit code").isEmpty();
  }

  @Test
  void keepAlive_reusesTheConnectionBetweenRuns() throws Exception {
    PlainHttpCheck check =
        new PlainHttpCheck(spec(url("/health"), null, List.of()), reactor, idle);
    for (int i = 0; i < 3; i++) {
      assertThat(check.run(TIMEOUT).passed()).isTrue();
    }
    assertThat(clientPorts).hasSize(1);
  }

  @Test
  void idleConnection_isClosedAfterTheIdleLimit_andTheNextRunOpensANewOne() throws Exception {
    PlainHttpCheck check =
        new PlainHttpCheck(spec(url("/health"), null, List.of()), reactor, idle);
    assertThat(check.run(TIMEOUT).passed()).isTrue();
    now.addAndGet(HttpIdleConnections.IDLE_LIMIT.toNanos() - 1);
    assertThat(onReactor(idle::size)).isEqualTo(1); // not yet
    assertThat(check.run(TIMEOUT).passed()).isTrue();
    assertThat(clientPorts).hasSize(1); // reused: the run made it fresh again
    now.addAndGet(HttpIdleConnections.IDLE_LIMIT.toNanos());
    assertThat(onReactor(idle::size)).isZero(); // the sweep closed it
    assertThat(check.run(TIMEOUT).passed()).isTrue();
    assertThat(clientPorts).hasSize(2);
  }

  /**
   * Runs {@code s} on the reactor from a timer due now on the test's clock: timers run in the
   * order they are due, so every timer due before (the sweep) has run.
   */
  private <T> T onReactor(Supplier<T> s) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    long at = now.get();
    reactor.execute(() -> reactor.arm(new Timer(() -> f.complete(s.get())), at));
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void checksOfTheSameServer_shareTheIdleConnection() throws Exception {
    PlainHttpCheck a = new PlainHttpCheck(spec(url("/health"), null, List.of()), reactor, idle);
    PlainHttpCheck b = new PlainHttpCheck(spec(url("/down"), null, List.of()), reactor, idle);
    for (int i = 0; i < 2; i++) {
      assertThat(a.run(TIMEOUT).passed()).isTrue();
      assertThat(b.run(TIMEOUT).passed()).isFalse();
    }
    assertThat(clientPorts).hasSize(1);
  }

  @Test
  void chunkedBody_isReadToItsEnd_andTheConnectionKept() throws Exception {
    PlainHttpCheck check = new PlainHttpCheck(
        spec(url("/chunked"), Pattern.compile("part 2"), List.of()), reactor, idle);
    for (int i = 0; i < 2; i++) {
      assertThat(check.run(TIMEOUT).reason()).isEqualTo("HTTP 200 from " + url("/chunked"));
    }
    assertThat(clientPorts).hasSize(1);
  }

  @Test
  void noContent_passes() throws Exception {
    assertThat(run(spec(url("/empty"), null, List.of())).passed()).isTrue();
  }

  /** A server that closed an idle kept-alive connection must not fail the next run. */
  @Test
  void keptAliveConnectionClosedByTheServer_isReplacedWithinTheRun() throws Exception {
    try (AnswerThenClose once = new AnswerThenClose()) {
      String url = once.url();
      PlainHttpCheck check = new PlainHttpCheck(spec(url, null, List.of()), reactor, idle);
      assertThat(check.run(TIMEOUT).passed()).isTrue();
      assertThat(once.firstClosed()).isTrue();
      assertThat(check.run(TIMEOUT).reason()).isEqualTo("HTTP 200 from " + url);
    }
  }

  @Test
  void closeDelimitedResponse_passes_andTheNextRunConnectsAgain() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 2; i++) {
          try (Socket c = s.accept()) {
            c.getInputStream().read(new byte[4096]);
            c.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\nall of it"
                .getBytes(StandardCharsets.UTF_8));
          } catch (IOException e) {
            return;
          }
        }
      });
      String url = "http://127.0.0.1:" + s.getLocalPort() + "/";
      PlainHttpCheck check = new PlainHttpCheck(spec(url, Pattern.compile("of it"), List.of()),
          reactor, idle);
      assertThat(check.run(TIMEOUT).passed()).isTrue();
      assertThat(check.run(TIMEOUT).passed()).isTrue();
    }
  }

  @Test
  void notHttp_failsWithTheReason() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        try (Socket c = s.accept()) {
          c.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(StandardCharsets.UTF_8));
          c.getInputStream().read(new byte[4096]);
        } catch (IOException e) {
          // the check closed it
        }
      });
      String url = "http://127.0.0.1:" + s.getLocalPort() + "/";
      CheckResult r = run(spec(url, null, List.of()));
      assertThat(r).isInstanceOf(CheckResult.Failed.class);
      assertThat(r.reason()).isEqualTo("not an HTTP/1.x response: SSH-2.0-OpenSSH_9.6 (" + url
          + ")");
    }
  }

  @Test
  void serves_plainHttpToAnAddress_only() {
    assertThat(PlainHttpCheck.serves(spec("http://127.0.0.1:8080/", null, List.of()))).isTrue();
    assertThat(PlainHttpCheck.serves(spec("http://[::1]:8080/", null, List.of()))).isTrue();
    assertThat(PlainHttpCheck.serves(spec("http://svc.test/", null, List.of()))).isFalse();
    assertThat(PlainHttpCheck.serves(spec("https://127.0.0.1/", null, List.of()))).isFalse();
    assertThat(PlainHttpCheck.serves(new CheckSpec.Http(URI.create("http://127.0.0.1/"), "GET",
        List.of(), StatusSet.SUCCESS, null, true, VERIFY, null))).isFalse();
  }
}
