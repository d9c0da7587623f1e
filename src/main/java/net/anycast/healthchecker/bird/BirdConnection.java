package net.anycast.healthchecker.bird;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One open connection to BIRD's control socket, past BIRD's greeting, with its own
 * {@link Selector}. Not thread-safe: {@link BirdSocket} uses it under its lock.
 *
 * <p>Deadlines are {@link System#nanoTime()} values chosen by the caller, so the commands of one
 * call share one deadline.
 */
final class BirdConnection implements Closeable {
  private static final int MAX_REPLY_BYTES = 16 << 20;
  private static final Duration CONNECT_RETRY = Duration.ofMillis(10);

  private final SocketChannel ch;
  private final Selector selector;
  private final ByteBuffer in = ByteBuffer.allocate(8192);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private int replyBytes;

  private BirdConnection(SocketChannel ch, Selector selector) {
    this.ch = ch;
    this.selector = selector;
    in.limit(0);
  }

  /**
   * Returns a connection to {@code socket} on which BIRD's greeting (0001) was read.
   *
   * @throws SocketTimeoutException when BIRD does not accept or the greeting is not complete by
   *     {@code deadline}
   * @throws IOException when the socket cannot be reached or does not greet like BIRD
   */
  static BirdConnection open(Path socket, long deadline) throws IOException, InterruptedException {
    SocketChannel ch = connect(socket, deadline);
    Selector selector = null;
    try {
      selector = Selector.open();
      ch.register(selector, SelectionKey.OP_READ);
      BirdConnection c = new BirdConnection(ch, selector);
      List<BirdReply.Line> greeting = c.reply(deadline);
      if (greeting.getLast().code() != BirdReply.WELCOME) {
        throw new IOException("unexpected greeting: " + BirdReply.errorText(greeting));
      }
      return c;
    } catch (IOException | RuntimeException | InterruptedException e) {
      if (selector != null) {
        selector.close();
      }
      ch.close();
      throw e;
    }
  }

  /**
   * Returns a non-blocking channel connected to {@code socket}. A blocking connect to a Unix
   * socket whose accept queue is full (a BIRD busy or stopped) waits for ever, and the reconciler
   * with it; non-blocking, Linux answers EAGAIN at once, so the connect is tried again every few
   * milliseconds until {@code deadline}.
   */
  private static SocketChannel connect(Path socket, long deadline)
      throws IOException, InterruptedException {
    while (true) {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.configureBlocking(false);
        if (ch.connect(UnixDomainSocketAddress.of(socket)) || ch.finishConnect()) {
          return ch;
        }
        ch.close(); // in progress: not what a Unix socket does, but bounded all the same
      } catch (IOException e) {
        ch.close();
        if (!isQueueFull(e)) {
          throw e;
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new SocketTimeoutException("BIRD did not accept the connection in time");
      }
      Thread.sleep(CONNECT_RETRY);
    }
  }

  private static boolean isQueueFull(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("Resource temporarily unavailable") || m.contains("Try again");
  }

  /**
   * Returns whether the connection can carry the next command: still open, nothing unread, and
   * BIRD has not closed its end. BIRD sends nothing unasked, so any byte waiting here is a reply
   * to nobody, which the next command would take for its own.
   */
  boolean quiet() throws IOException {
    if (!ch.isOpen() || in.hasRemaining() || line.size() > 0) {
      return false;
    }
    in.clear();
    int n = ch.read(in); // non-blocking: 0 when nothing waits
    in.flip();
    return n == 0;
  }

  /** Returns BIRD's reply to {@code command}; see {@link #open} for the exceptions. */
  List<BirdReply.Line> ask(String command, long deadline)
      throws IOException, InterruptedException {
    ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      if (ch.write(out) == 0) { // BIRD reads nothing: its socket buffer is full
        if (System.nanoTime() - deadline >= 0) {
          throw new SocketTimeoutException("BIRD did not read the command in time");
        }
        Thread.sleep(CONNECT_RETRY);
      }
    }
    return reply(deadline);
  }

  /** Waits {@code d} on the connection (BIRD sends nothing unasked), or until interrupted. */
  void idle(Duration d) throws IOException, InterruptedException {
    selector.select(Math.max(1, d.toMillis()));
    selector.selectedKeys().clear();
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      ch.close();
    }
  }

  /** Reads reply lines up to and including the last one ({@code DDDD text}). */
  private List<BirdReply.Line> reply(long deadline) throws IOException, InterruptedException {
    replyBytes = 0;
    List<BirdReply.Line> lines = new ArrayList<>();
    int code = 0;
    while (true) {
      String raw = nextLine(deadline);
      Optional<BirdReply.Line> l;
      try {
        l = BirdReply.parseLine(raw, code);
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage(), e);
      }
      if (l.isEmpty()) {
        continue;
      }
      lines.add(l.get());
      code = l.get().code();
      if (l.get().last()) {
        return lines;
      }
    }
  }

  private String nextLine(long deadline) throws IOException, InterruptedException {
    while (true) {
      while (in.hasRemaining()) {
        byte b = in.get();
        if (b == '\n') {
          String s = line.toString(StandardCharsets.UTF_8);
          line.reset();
          return s;
        }
        line.write(b);
      }
      in.clear();
      fill(deadline);
      in.flip();
    }
  }

  private void fill(long deadline) throws IOException, InterruptedException {
    while (true) {
      int n = ch.read(in);
      if (n < 0) {
        throw new IOException("BIRD closed the connection before the end of its reply");
      }
      if (n > 0) {
        replyBytes += n;
        if (replyBytes > MAX_REPLY_BYTES) {
          throw new IOException("reply longer than " + MAX_REPLY_BYTES + " bytes");
        }
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("no complete reply from BIRD in time");
      }
      selector.select(Math.max(1, left / 1_000_000));
      selector.selectedKeys().clear();
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
