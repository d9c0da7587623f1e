package net.anycast.healthchecker.bird;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The control-socket client against a scripted server on a real Unix socket. */
@Timeout(30)
class BirdSocketTest {
  @TempDir Path dir;
  private ServerSocketChannel server;
  private final java.util.List<BirdSocket> sockets = new java.util.ArrayList<>();
  private final CompletableFuture<String> received = new CompletableFuture<>();

  /** Accepts one client, sends {@code greeting}, reads one command line, sends {@code reply}. */
  private Path serve(String greeting, String reply, Duration delay) throws IOException {
    Path sock = dir.resolve("bird.ctl");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock));
    Thread.ofVirtual().start(() -> {
      try (SocketChannel c = server.accept()) {
        c.write(ByteBuffer.wrap(greeting.getBytes(StandardCharsets.UTF_8)));
        ByteBuffer in = ByteBuffer.allocate(256);
        StringBuilder cmd = new StringBuilder();
        while (cmd.indexOf("\n") < 0 && c.read(in) > 0) {
          in.flip();
          cmd.append(StandardCharsets.UTF_8.decode(in));
          in.clear();
        }
        received.complete(cmd.toString());
        Thread.sleep(delay);
        c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
      } catch (IOException | InterruptedException e) {
        received.completeExceptionally(e);
      }
    });
    return sock;
  }

  /** Returns a client closed after the test (it keeps its connection open until then). */
  private BirdSocket client(Path sock, Duration timeout) {
    BirdSocket s = new BirdSocket(sock, timeout);
    sockets.add(s);
    return s;
  }

  @AfterEach
  void close() throws IOException {
    sockets.forEach(BirdSocket::close);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void reconfigure_sendsConfigure_andReads0003() throws Exception {
    Path sock = serve("0001 BIRD 2.0.12 ready.\n",
        "0002-Reading configuration from /etc/bird/bird.conf\n0003 Reconfigured\n", Duration.ZERO);
    assertThat(client(sock, Duration.ofSeconds(5)).reconfigure())
        .isEqualTo(new ReconfigureResult.Confirmed("Reconfigured"));
    assertThat(received.get()).isEqualTo("configure\n");
  }

  /** Accepts one client and answers every command line with the next of {@code replies}. */
  private Path serveSession(java.util.List<String> commands, String... replies)
      throws IOException {
    Path sock = dir.resolve("bird.ctl");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock));
    Thread.ofVirtual().start(() -> {
      try (SocketChannel c = server.accept()) {
        c.write(ByteBuffer.wrap("0001 BIRD 2.0.12 ready.\n".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer in = ByteBuffer.allocate(256);
        StringBuilder buf = new StringBuilder();
        for (String reply : replies) {
          while (buf.indexOf("\n") < 0 && c.read(in) > 0) {
            in.flip();
            buf.append(StandardCharsets.UTF_8.decode(in));
            in.clear();
          }
          int nl = buf.indexOf("\n");
          if (nl < 0) {
            break;
          }
          commands.add(buf.substring(0, nl));
          buf.delete(0, nl + 1);
          c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
        }
        received.complete(String.join(",", commands));
      } catch (IOException e) {
        received.completeExceptionally(e);
      }
    });
    return sock;
  }

  @Test
  void reconfigure_confirmed_thenWakesBirdWithShowStatusOnTheSameConnection() throws Exception {
    java.util.List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
    Path sock = serveSession(commands, "0003 Reconfigured\n",
        "1000-BIRD 2.0.12\n1011-Router ID is 192.0.2.1\n0013 Daemon is up and running\n");
    assertThat(client(sock, Duration.ofSeconds(5)).reconfigure())
        .isEqualTo(new ReconfigureResult.Confirmed("Reconfigured"));
    assertThat(received.get()).isEqualTo("configure,show status");
  }

  @Test
  void reconfigure_rejected_sendsNothingMore() throws Exception {
    java.util.List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
    Path sock = serveSession(commands, "8002 /etc/bird.conf:1:1 syntax error\n",
        "0013 Daemon is up and running\n");
    BirdSocket s = client(sock, Duration.ofSeconds(5));
    assertThat(s.reconfigure()).isInstanceOf(ReconfigureResult.Failed.class);
    s.close(); // the server records what it got once the client hangs up
    assertThat(received.get()).isEqualTo("configure");
  }

  @Test
  void reconfigure_error_reportsBirdsText_withContinuationLines() throws Exception {
    Path sock = serve("0001 BIRD 1.6.8 ready.\n",
        "0002-Reading configuration from /etc/bird.conf\n8002-/etc/bird.conf:3:1 syntax error\n more\n8002 done\n",
        Duration.ZERO);
    assertThat(client(sock, Duration.ofSeconds(5)).reconfigure()).isEqualTo(new ReconfigureResult.Failed(
        "8002 /etc/bird.conf:3:1 syntax error | 8002 more | 8002 done"));
  }

  @Test
  void reconfigure_accessDenied_isFailed() throws Exception {
    Path sock = serve("0001 BIRD 2.0.12 ready.\n", "8007 Access denied\n", Duration.ZERO);
    assertThat(client(sock, Duration.ofSeconds(5)).reconfigure())
        .isEqualTo(new ReconfigureResult.Failed("8007 Access denied"));
  }

  @Test
  void reconfigure_slowBird_timesOut() throws Exception {
    Path sock = serve("0001 BIRD 2.0.12 ready.\n", "0003 Reconfigured\n", Duration.ofSeconds(3));
    ReconfigureResult r = client(sock, Duration.ofMillis(200)).reconfigure();
    assertThat(r).isInstanceOf(ReconfigureResult.Failed.class);
    assertThat(((ReconfigureResult.Failed) r).reason()).contains("no complete reply from BIRD in time");
  }

  @Test
  void reconfigure_notBird_isFailed() throws Exception {
    Path sock = serve("SSH-2.0-OpenSSH\n", "", Duration.ZERO);
    ReconfigureResult r = client(sock, Duration.ofSeconds(2)).reconfigure();
    assertThat(((ReconfigureResult.Failed) r).reason()).contains("not a BIRD reply line: 'SSH-2.0-OpenSSH'");
  }

  @Test
  void reconfigure_noSocket_isFailed() throws Exception {
    ReconfigureResult r = client(dir.resolve("none.ctl"), Duration.ofSeconds(2)).reconfigure();
    assertThat(r).isInstanceOf(ReconfigureResult.Failed.class);
    assertThat(((ReconfigureResult.Failed) r).reason()).startsWith("'configure' on BIRD's control socket");
  }

  @Test
  void reconfigure_socketThatNeverAccepts_failsWithinTheTimeout() throws Exception {
    Path sock = dir.resolve("full.ctl");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock), 1); // never accepts: the queue fills up
    java.util.List<SocketChannel> queued = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 64; i++) {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.configureBlocking(false);
        queued.add(c);
        try {
          c.connect(UnixDomainSocketAddress.of(sock));
        } catch (IOException full) {
          break; // EAGAIN: the accept queue is full, as with a BIRD that stopped accepting
        }
      }
      BirdSocket bird = client(sock, Duration.ofSeconds(1));
      long t0 = System.nanoTime();
      ReconfigureResult r = CompletableFuture.supplyAsync(() -> {
        try {
          return bird.reconfigure();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }).get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r).isInstanceOf(ReconfigureResult.Failed.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    } finally {
      for (SocketChannel c : queued) {
        c.close();
      }
    }
  }
}
