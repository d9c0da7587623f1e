package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import net.anycast.healthchecker.config.CheckSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TCP check against listeners on loopback: each answers one way. */
class TcpCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  @TempDir static Path certs;
  private static SelfSignedCertificate cert;

  private final CountDownLatch release = new CountDownLatch(1);
  private ServerSocket listener;
  private Thread acceptor;

  @BeforeAll
  static void certificate() throws Exception {
    cert = SelfSignedCertificate.create(certs, "svc.test");
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (listener != null) {
      listener.close();
    }
    if (acceptor != null) {
      acceptor.join(5_000);
    }
  }

  /** Serves one way to every connection: read a line when asked, then send {@code reply}. */
  private InetSocketAddress serve(ServerSocket s, boolean readLine, String reply, boolean hold)
      throws IOException {
    listener = s;
    acceptor = Thread.ofVirtual().start(() -> {
      for (int i = 0; i < 10 && !s.isClosed(); i++) {
        try (Socket c = s.accept()) {
          if (readLine) {
            InputStream in = c.getInputStream();
            for (int b = in.read(), n = 0; b >= 0 && b != '\n' && n < 1000; b = in.read(), n++) {
              // read up to the end of the request line
            }
          }
          if (hold) {
            release.await(30, TimeUnit.SECONDS);
          }
          c.getOutputStream().write(reply.getBytes(StandardCharsets.UTF_8));
          c.getOutputStream().flush();
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    });
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
  }

  private static ServerSocket plain() throws IOException {
    return new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
  }

  private static CheckResult run(CheckSpec.Tcp spec, Duration timeout) throws Exception {
    return new TcpCheck(spec, System::nanoTime).run(timeout);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void connect_passes() throws Exception {
    InetSocketAddress a = serve(plain(), false, "", false);
    CheckResult r = run(new CheckSpec.Tcp(a, null, new byte[0], new byte[0]), TIMEOUT);
    assertThat(r.reason()).isEqualTo("connected to tcp://127.0.0.1:" + a.getPort());
    assertThat(r.passed()).isTrue();
  }

  @Test
  void refused_failsWithConnectRefused() throws Exception {
    int port;
    try (ServerSocket s = plain()) {
      port = s.getLocalPort();
    }
    CheckResult r = run(new CheckSpec.Tcp(new InetSocketAddress("127.0.0.1", port), null,
        new byte[0], new byte[0]), TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo("connect refused");
  }

  @Test
  void sendExpect_passesWhenTheReplyHoldsTheBytes() throws Exception {
    InetSocketAddress a = serve(plain(), true, "+PONG\r\n", false);
    CheckResult r = run(new CheckSpec.Tcp(a, null, b("PING\r\n"), b("+PONG")), TIMEOUT);
    assertThat(r.reason()).isEqualTo("got '+PONG' from tcp://127.0.0.1:" + a.getPort());
  }

  @Test
  void sendExpect_failsOnAnotherReply() throws Exception {
    InetSocketAddress a = serve(plain(), true, "-ERR loading\r\n", false);
    CheckResult r = run(new CheckSpec.Tcp(a, null, b("PING\r\n"), b("+PONG")), TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason())
        .isEqualTo("connection closed before '+PONG' arrived (got '-ERR loading\\x0d\\x0a')");
  }

  @Test
  void silentServer_timesOutWithinTheDeadline() throws Exception {
    InetSocketAddress a = serve(plain(), false, "late", true);
    long start = System.nanoTime();
    CheckResult r = run(new CheckSpec.Tcp(a, null, new byte[0], b("+PONG")),
        Duration.ofMillis(300));
    assertThat(r).isInstanceOf(CheckResult.TimedOut.class);
    assertThat(r.reason()).isEqualTo("expect timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void tls_withCaFileAndServerName_passes() throws Exception {
    SSLServerSocket s = (SSLServerSocket) cert.serverContext().getServerSocketFactory()
        .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
    InetSocketAddress a = serve(s, true, "OK\n", false);
    var tls = new CheckSpec.Tls(true, "svc.test", cert.pem());
    CheckResult r = run(new CheckSpec.Tcp(a, tls, b("HELLO\n"), b("OK")), TIMEOUT);
    assertThat(r.reason()).isEqualTo("got 'OK' from tls://127.0.0.1:" + a.getPort());
  }

  @Test
  void tls_selfSignedWithoutCaFile_failsAsNotTrusted() throws Exception {
    SSLServerSocket s = (SSLServerSocket) cert.serverContext().getServerSocketFactory()
        .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
    InetSocketAddress a = serve(s, true, "OK\n", false);
    var tls = new CheckSpec.Tls(true, "svc.test", null);
    CheckResult r = run(new CheckSpec.Tcp(a, tls, b("HELLO\n"), b("OK")), TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo(
        "TLS handshake failed: certificate not trusted");
  }
}
