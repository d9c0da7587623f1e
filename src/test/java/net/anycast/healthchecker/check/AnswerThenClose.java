package net.anycast.healthchecker.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on loopback that answers one request per connection with {@code 200 ok} and
 * then closes it, for two connections: what a server that drops idle kept-alive connections
 * looks like to a check.
 */
final class AnswerThenClose implements AutoCloseable {
  private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
  private final CountDownLatch firstClosed = new CountDownLatch(1);

  AnswerThenClose() throws IOException {
    Thread.ofVirtual().start(() -> {
      for (int i = 0; i < 2; i++) {
        try (Socket s = socket.accept()) {
          s.getInputStream().read(new byte[4096]);
          s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
              .getBytes(StandardCharsets.UTF_8));
          s.getOutputStream().flush();
        } catch (IOException e) {
          return;
        }
        firstClosed.countDown();
      }
    });
  }

  /** Returns the server's URL, {@code http://127.0.0.1:PORT/}. */
  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/";
  }

  /** Returns whether the first connection was closed by the server within 5 s. */
  boolean firstClosed() throws InterruptedException {
    return firstClosed.await(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
