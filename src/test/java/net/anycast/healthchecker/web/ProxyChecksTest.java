package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.anycast.healthchecker.check.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes of hacheck's proxy endpoints against real servers on loopback: the JDK's HTTP and
 * HTTPS servers and plain listeners, with a short timeout so that the hanging cases end fast.
 */
@Timeout(60)
class ProxyChecksTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  @TempDir Path tmp;
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private HttpServer server;
  private ProxyChecks probes;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/ok", ex -> reply(ex, 200, "fine"));
    server.createContext("/sick", ex -> reply(ex, 503, "database gone"));
    server.createContext("/moved", ex -> {
      ex.getResponseHeaders().set("Location", "http://127.0.0.1:1/elsewhere");
      reply(ex, 302, "");
    });
    server.createContext("/big", ex -> reply(ex, 200, "x".repeat(100_000)));
    server.createContext("/hold", ex -> {
      held.incrementAndGet();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reply(ex, 200, "released");
    });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    probes = new ProxyChecks(new ProbeCache(System::nanoTime), 2, System::nanoTime, TIMEOUT);
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    probes.close();
    server.stop(0);
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private void reply(HttpExchange ex, int status, String body) throws IOException {
    requests.incrementAndGet();
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  private ProxyTarget http(String path) throws HttpError {
    return ProxyTarget.of(ProxyTarget.Kind.HTTP,
        RequestPath.parse("/web/" + server.getAddress().getPort() + path), null);
  }

  private static ProxyTarget tcp(int port) throws HttpError {
    return ProxyTarget.of(ProxyTarget.Kind.TCP, RequestPath.parse("/db/" + port + "/"), null);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void http_statusAndBody_arePassedThrough() throws Exception {
    assertThat(probes.answer(http("/ok"))).isEqualTo(new ProxyAnswer(200, "fine"));
    assertThat(probes.answer(http("/sick"))).isEqualTo(new ProxyAnswer(503, "database gone"));
  }

  @Test
  void http_redirect_isNotFollowed() throws Exception {
    assertThat(probes.answer(http("/moved")).status()).isEqualTo(302);
  }

  @Test
  void http_body_isCutToItsLimit() throws Exception {
    assertThat(probes.answer(http("/big")).body()).hasSize(ProxyChecks.BODY_LIMIT);
  }

  @Test
  void http_refused_is599() throws Exception {
    ProxyTarget t = ProxyTarget.of(ProxyTarget.Kind.HTTP,
        RequestPath.parse("/web/" + closedPort() + "/"), null);

    ProxyAnswer a = probes.answer(t);

    assertThat(a.status()).isEqualTo(599);
    assertThat(a.body()).startsWith("connect");
  }

  @Test
  void http_noAnswerInTime_is599_timedOut() throws Exception {
    ProxyAnswer a = probes.answer(http("/hold"));

    assertThat(a.status()).isEqualTo(599);
    assertThat(a.body()).startsWith("timed out waiting for http://127.0.0.1:");
  }

  @Test
  void https_selfSignedCertificate_isNotVerified_asHacheck() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(tmp, "svc.test");
    HttpsServer tls = HttpsServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    tls.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
    tls.createContext("/", ex -> reply(ex, 204, ""));
    tls.start();
    closing.add(() -> tls.stop(0));

    // The JVM's first TLS handshake loads and warms its whole crypto stack; on a loaded machine
    // that alone has taken longer than the 500 ms the other cases use (CI saw a 599 here).
    probes.close();
    probes = new ProxyChecks(new ProbeCache(System::nanoTime), 2, System::nanoTime,
        Duration.ofSeconds(20));

    ProxyAnswer a = probes.answer(ProxyTarget.of(ProxyTarget.Kind.HTTPS,
        RequestPath.parse("/web/" + tls.getAddress().getPort() + "/"), null));

    assertThat(a.status()).as(a.body()).isEqualTo(204);
  }

  @Test
  void tcp_listening_is200_refused_is503() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      assertThat(probes.answer(tcp(listening.getLocalPort())).status()).isEqualTo(200);
    }
    ProxyAnswer refused = probes.answer(tcp(closedPort()));
    assertThat(refused).isEqualTo(new ProxyAnswer(503, "connect refused"));
  }

  @Test
  void repeatedRequests_areAnsweredFromTheCache() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(probes.answer(http("/ok")).status()).isEqualTo(200);
    }

    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void floodOfDistinctTargets_beyondTheLimit_isRefused503_andNotCached() throws Exception {
    probes.close();
    probes = new ProxyChecks(new ProbeCache(System::nanoTime), 2, System::nanoTime,
        Duration.ofSeconds(20));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<ProxyAnswer> one = pool.submit(() -> probes.answer(http("/hold/1")));
      Future<ProxyAnswer> two = pool.submit(() -> probes.answer(http("/hold/2")));
      for (int i = 0; i < 1000 && held.get() < 2; i++) {
        Thread.sleep(10);
      }
      assertThat(held.get()).isEqualTo(2);
      assertThat(probes.inFlight()).isEqualTo(2);

      ProxyAnswer third = probes.answer(http("/ok"));

      assertThat(third.status()).isEqualTo(503);
      assertThat(third.body()).startsWith("too many proxied checks in flight");
      release.countDown();
      assertThat(one.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(two.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    assertThat(probes.answer(http("/ok")).status()).isEqualTo(200);
    assertThat(probes.inFlight()).isZero();
  }

  @Test
  void concurrentRequestsForOneTarget_shareOneProbe() throws Exception {
    probes.close();
    probes = new ProxyChecks(new ProbeCache(System::nanoTime), 2, System::nanoTime,
        Duration.ofSeconds(20));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ProxyAnswer>> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answers.add(pool.submit(() -> probes.answer(http("/hold"))));
      }
      for (int i = 0; i < 1000 && held.get() < 1; i++) {
        Thread.sleep(10);
      }
      release.countDown();
      for (Future<ProxyAnswer> f : answers) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(new ProxyAnswer(200, "released"));
      }
    }
    assertThat(held.get()).isEqualTo(1);
  }
}
