package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.anycast.healthchecker.config.CheckSpec;
import net.anycast.healthchecker.reactor.Reactor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reactor's TCP connect against real listeners on loopback, on a reactor whose clock the
 * test moves: a timeout is the clock passing the deadline, not a wait.
 */
class TcpConnectCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Reactor reactor = Reactor.start("check-reactor-test", now::get);

  @AfterEach
  void stop() {
    reactor.close();
  }

  private static CheckSpec.Tcp spec(InetSocketAddress a) {
    return new CheckSpec.Tcp(a, null, new byte[0], new byte[0]);
  }

  private static ServerSocket listener(int backlog) throws IOException {
    return new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
  }

  private static InetSocketAddress address(ServerSocket s) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
  }

  @Test
  void listening_passes_andTheServerSeesAReset() throws Exception {
    try (ServerSocket s = listener(8)) {
      CheckResult r = new TcpConnectCheck(spec(address(s)), reactor).run(TIMEOUT);
      assertThat(r.passed()).isTrue();
      assertThat(r.reason()).isEqualTo("connected to tcp://127.0.0.1:" + s.getLocalPort());
      try (Socket accepted = s.accept()) {
        // SO_LINGER 0: the check's close is a reset, so no TIME_WAIT is left behind.
        assertThatThrownBy(() -> accepted.getInputStream().read())
            .isInstanceOf(SocketException.class).hasMessageContaining("reset");
      }
    }
  }

  @Test
  void refused_failsWithConnectRefused() throws Exception {
    int port;
    try (ServerSocket s = listener(1)) {
      port = s.getLocalPort();
    }
    CheckResult r = new TcpConnectCheck(spec(new InetSocketAddress("127.0.0.1", port)), reactor)
        .run(TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo("connect refused");
  }

  @Test
  void connectNotAnswered_timesOutWhenTheClockPassesTheDeadline() throws Exception {
    // A listener that never accepts, its queue full: the kernel drops further SYNs.
    try (ServerSocket s = listener(1)) {
      List<Socket> filling = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket f = new Socket();
          try {
            f.connect(address(s), 200);
            filling.add(f);
          } catch (IOException full) {
            f.close();
            break;
          }
        }
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        new TcpConnectCheck(spec(address(s)), reactor).begin(Duration.ofSeconds(1),
            result::complete);
        ReactorClock.advance(reactor, now, Duration.ofSeconds(1));
        CheckResult r = result.get(10, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(CheckResult.TimedOut.class);
        assertThat(r.reason()).isEqualTo("connect timed out");
        assertThat(r.took()).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.exitCode()).isEmpty();
      } finally {
        for (Socket f : filling) {
          f.close();
        }
      }
    }
  }

  @Test
  void serves_onlyAPlainConnectToAnAddress() {
    InetSocketAddress a = new InetSocketAddress("127.0.0.1", 80);
    assertThat(TcpConnectCheck.serves(spec(a))).isTrue();
    assertThat(TcpConnectCheck.serves(new CheckSpec.Tcp(a, null, "x".getBytes(), new byte[0])))
        .isFalse();
    assertThat(TcpConnectCheck.serves(new CheckSpec.Tcp(a, null, new byte[0], "y".getBytes())))
        .isFalse();
    assertThat(TcpConnectCheck.serves(
        new CheckSpec.Tcp(a, new CheckSpec.Tls(true, null, null), new byte[0], new byte[0])))
        .isFalse();
  }

  @Test
  void manyRuns_oneAfterTheOther_eachGetsAFreshConnection() throws Exception {
    try (ServerSocket s = listener(50)) {
      TcpConnectCheck check = new TcpConnectCheck(spec(address(s)), reactor);
      for (int i = 0; i < 20; i++) {
        assertThat(check.run(TIMEOUT).passed()).isTrue();
      }
    }
  }
}
