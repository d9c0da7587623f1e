package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import net.anycast.healthchecker.config.CheckSpec;
import net.anycast.healthchecker.config.StatusSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP(S) check against the JDK's HTTP server on loopback, one test per outcome. */
class HttpCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final CheckSpec.Tls VERIFY = new CheckSpec.Tls(true, null, null);
  @TempDir static Path certs;
  private static SelfSignedCertificate cert;

  private final HttpClients clients = new HttpClients();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private volatile String seenHost = "";
  private HttpServer server;
  private HttpsServer tlsServer;

  @BeforeAll
  static void certificate() throws Exception {
    cert = SelfSignedCertificate.create(certs, "svc.test");
  }

  @AfterAll
  static void nothing() {}

  @BeforeEach
  void servers() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    tlsServer = HttpsServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    tlsServer.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
    for (HttpServer s : List.of(server, tlsServer)) {
      s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      s.createContext("/", this::handle);
      s.start();
    }
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    tlsServer.stop(0);
    clients.close();
  }

  private void handle(HttpExchange ex) throws IOException {
    clientPorts.add(ex.getRemoteAddress().getPort());
    seenHost = ex.getRequestHeaders().getFirst("Host");
    String path = ex.getRequestURI().getPath();
    int status = switch (path) {
      case "/down" -> 503;
      case "/moved" -> 302;
      case "/empty" -> 204;
      default -> 200;
    };
    if (status == 204) {
      ex.sendResponseHeaders(204, -1);
      ex.close();
      return;
    }
    if (path.equals("/chunked")) {
      ex.sendResponseHeaders(200, 0); // no length: the JDK's server sends chunks
      for (int i = 0; i < 3; i++) {
        ex.getResponseBody().write(("part " + i + " ").getBytes(StandardCharsets.UTF_8));
        ex.getResponseBody().flush();
      }
      ex.close();
      return;
    }
    if (path.equals("/slow")) {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (status == 302) {
      ex.getResponseHeaders().add("Location", "/health");
    }
    byte[] body = ("service is " + (status == 200 ? "ready" : "not ready"))
        .getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private String tlsUrl(String path) {
    return "https://127.0.0.1:" + tlsServer.getAddress().getPort() + path;
  }

  private static CheckSpec.Http spec(String url, CheckSpec.Tls tls, Pattern body,
      List<CheckSpec.Header> headers) {
    return new CheckSpec.Http(URI.create(url), "GET", headers, StatusSet.SUCCESS, body, false,
        tls, null);
  }

  private CheckResult run(CheckSpec.Http spec, Duration timeout) throws InterruptedException {
    return new HttpCheck(spec, clients, System::nanoTime).run(timeout);
  }

  @Test
  void ok_passesWithStatusInReason() throws Exception {
    CheckResult r = run(spec(url("/health"), VERIFY, null, List.of()), TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Passed.class);
    assertThat(r.reason()).isEqualTo("HTTP 200 from " + url("/health"));
    assertThat(r.exitCode()).isEmpty();
  }

  @Test
  void wrongStatus_failsWithStatusAndUrl() throws Exception {
    CheckResult r = run(spec(url("/down"), VERIFY, null, List.of()), TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo("HTTP 503 from " + url("/down") + ", expected 200-299");
  }

  @Test
  void expectedStatusSet_acceptsListedCode() throws Exception {
    var s = new CheckSpec.Http(URI.create(url("/down")), "GET", List.of(),
        StatusSet.parse("200, 503"), null, false, VERIFY, null);
    assertThat(run(s, TIMEOUT).passed()).isTrue();
  }

  @Test
  void redirect_isNotFollowedByDefault() throws Exception {
    CheckResult r = run(spec(url("/moved"), VERIFY, null, List.of()), TIMEOUT);
    assertThat(r.reason()).startsWith("HTTP 302 from ");
    var follow = new CheckSpec.Http(URI.create(url("/moved")), "GET", List.of(),
        StatusSet.SUCCESS, null, true, VERIFY, null);
    assertThat(run(follow, TIMEOUT).passed()).isTrue();
  }

  @Test
  void bodyRegex_matchesOrFails() throws Exception {
    assertThat(run(spec(url("/health"), VERIFY, Pattern.compile("is ready$"), List.of()),
        TIMEOUT).passed()).isTrue();
    CheckResult r = run(spec(url("/health"), VERIFY, Pattern.compile("^OK"), List.of()),
        TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo("HTTP 200 from " + url("/health")
        + ", body does not match /^OK/");
  }

  @Test
  void hostHeader_isSent() throws Exception {
    run(spec(url("/health"), VERIFY, null, List.of(new CheckSpec.Header("Host", "www.svc.test"))),
        TIMEOUT);
    assertThat(seenHost).isEqualTo("www.svc.test");
  }

  @Test
  void refused_failsWithConnectFailed() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CheckResult r = run(spec("http://127.0.0.1:" + port + "/", VERIFY, null, List.of()),
        TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    // The JDK's client does not say "refused"; the TCP check does.
    assertThat(r.reason()).isEqualTo("connect failed (http://127.0.0.1:" + port + "/)");
  }

  @Test
  void slowServer_timesOutWithinTheOneDeadline() throws Exception {
    long start = System.nanoTime();
    CheckResult r = run(spec(url("/slow"), VERIFY, null, List.of()), Duration.ofMillis(300));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r).isInstanceOf(CheckResult.TimedOut.class);
    assertThat(r.reason()).isEqualTo("timed out waiting for " + url("/slow"));
    assertThat(r.exitCode()).as("a built-in timeout has no exit code").isEmpty();
    assertThat(took).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void idleConnection_olderThanTheLimit_isClosedAndReplaced() throws Exception {
    AtomicLong idleClock = new AtomicLong();
    try (HttpClients timed = new HttpClients(idleClock::get)) {
      CheckSpec.Http spec = spec(url("/health"), VERIFY, null, List.of());
      HttpCheck check = new HttpCheck(spec, timed, System::nanoTime);
      assertThat(check.run(TIMEOUT).passed()).isTrue();
      idleClock.addAndGet(HttpIdleConnections.IDLE_LIMIT.toNanos() - 1);
      assertThat(check.run(TIMEOUT).passed()).isTrue();
      assertThat(clientPorts).hasSize(1); // just within the limit: reused
      idleClock.addAndGet(HttpIdleConnections.IDLE_LIMIT.toNanos());
      assertThat(check.run(TIMEOUT).passed()).isTrue();
      assertThat(clientPorts).hasSize(2);
    }
  }

  @Test
  void idleConnectionOfAServerNobodyChecks_isClosedWhenAnotherCheckRuns() throws Exception {
    AtomicLong idleClock = new AtomicLong();
    try (HttpClients timed = new HttpClients(idleClock::get)) {
      CheckSpec.Http gone = spec(url("/health"), VERIFY, null, List.of());
      assertThat(new HttpCheck(gone, timed, System::nanoTime).run(TIMEOUT).passed()).isTrue();
      assertThat(timed.target(gone).idleCount()).isEqualTo(1);
      idleClock.addAndGet(HttpIdleConnections.IDLE_LIMIT.toNanos());
      // Another server (by name: another target) is still checked; its run sweeps.
      CheckSpec.Http other = spec(url("/health").replace("127.0.0.1", "localhost"), VERIFY, null,
          List.of());
      assertThat(new HttpCheck(other, timed, System::nanoTime).run(TIMEOUT).passed()).isTrue();
      assertThat(timed.target(gone).idleCount()).isZero();
    }
  }

  @Test
  void keepAlive_reusesTheConnectionBetweenRuns() throws Exception {
    HttpCheck check = new HttpCheck(spec(url("/health"), VERIFY, null, List.of()), clients,
        System::nanoTime);
    for (int i = 0; i < 3; i++) {
      assertThat(check.run(TIMEOUT).passed()).isTrue();
    }
    assertThat(clientPorts).hasSize(1);
  }

  @Test
  void selfSignedCertificate_failsVerificationByDefault() throws Exception {
    CheckResult r = run(spec(tlsUrl("/health"), VERIFY, null, List.of()), TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo("TLS handshake failed: certificate not trusted ("
        + tlsUrl("/health") + ")");
  }

  @Test
  void caFileAndServerName_verifyTheCertificate() throws Exception {
    var tls = new CheckSpec.Tls(true, "svc.test", cert.pem());
    CheckResult r = run(spec(tlsUrl("/health"), tls, null, List.of()), TIMEOUT);
    assertThat(r.reason()).isEqualTo("HTTP 200 from " + tlsUrl("/health"));
  }

  @Test
  void caFileWithWrongServerName_failsOnTheName() throws Exception {
    var tls = new CheckSpec.Tls(true, "other.test", cert.pem());
    CheckResult r = run(spec(tlsUrl("/health"), tls, null, List.of()), TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).startsWith("TLS handshake failed: certificate does not match");
  }

  @Test
  void noContent_plainAndOverTls_passes() throws Exception {
    var tls = new CheckSpec.Tls(false, null, null);
    assertThat(run(spec(url("/empty"), VERIFY, null, List.of()), TIMEOUT).reason())
        .isEqualTo("HTTP 204 from " + url("/empty"));
    assertThat(run(spec(tlsUrl("/empty"), tls, null, List.of()), TIMEOUT).reason())
        .isEqualTo("HTTP 204 from " + tlsUrl("/empty"));
    // A one-off probe (the JDK's client) says the same.
    assertThat(new HttpCheck(spec(tlsUrl("/empty"), tls, null, List.of()), clients,
        System::nanoTime, true).run(TIMEOUT).reason())
        .isEqualTo("HTTP 204 from " + tlsUrl("/empty"));
  }

  @Test
  void chunkedBody_isReadToItsEnd_andTheConnectionKept() throws Exception {
    HttpCheck check = new HttpCheck(spec(url("/chunked"), VERIFY,
        Pattern.compile("part 2"), List.of()), clients, System::nanoTime);
    for (int i = 0; i < 2; i++) {
      assertThat(check.run(TIMEOUT).reason()).isEqualTo("HTTP 200 from " + url("/chunked"));
    }
    assertThat(clientPorts).hasSize(1);
  }

  /** A server that closed an idle kept-alive connection must not fail the next run. */
  @Test
  void keptAliveConnectionClosedByTheServer_isReplacedWithinTheRun() throws Exception {
    try (AnswerThenClose once = new AnswerThenClose()) {
      String url = once.url();
      HttpCheck check = new HttpCheck(spec(url, VERIFY, null, List.of()), clients,
          System::nanoTime);
      assertThat(check.run(TIMEOUT).passed()).isTrue();
      assertThat(once.firstClosed()).isTrue();
      assertThat(check.run(TIMEOUT).reason()).isEqualTo("HTTP 200 from " + url);
    }
  }

  @Test
  void verifyOff_acceptsAnyCertificate() throws Exception {
    var tls = new CheckSpec.Tls(false, null, null);
    assertThat(run(spec(tlsUrl("/health"), tls, null, List.of()), TIMEOUT).passed()).isTrue();
  }
}
