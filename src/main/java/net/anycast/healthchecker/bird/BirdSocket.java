package net.anycast.healthchecker.bird;

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
import java.util.Objects;
import java.util.Optional;

/**
 * Speaks BIRD's control socket ({@code bird_socket}) directly: no fork, no sudo, and BIRD's
 * own reply code decides success. The daemon's user needs write access to the socket (BIRD
 * creates it owned by its user; {@code bird -g GROUP} or systemd's {@code RuntimeDirectory}
 * permissions let a group in).
 *
 * <p>One connection per reconfigure: a connection kept open would survive a BIRD restart only
 * as a dead socket, and reconfigures are rare (a connection costs about a millisecond).
 */
public final class BirdSocket implements BirdControl {
  /** Long enough for BIRD to parse a large configuration; a timeout is retried anyway. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_REPLY_BYTES = 16 << 20;
  /**
   * How long after a confirmed configure the wake-up command follows: in the benchmark's probes
   * 5 ms later left no update held (0 of 48), at once 1 of 48.
   */
  private static final Duration NUDGE_DELAY = Duration.ofMillis(5);

  private final Path socket;
  private final Duration timeout;

  public BirdSocket(Path socket, Duration timeout) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Sends {@code configure}; once BIRD confirmed it, sends {@code show status} on the same
   * connection 5 ms later, best effort. Why: BIRD 2.0.12 sometimes leaves the BGP update of a
   * reconfigure unsent until its main loop next wakes, up to 3 s later; one more CLI command
   * wakes it. In the benchmark's probes this took held updates from 7 in 48 reconfigures to 0.
   */
  @Override
  public ReconfigureResult reconfigure() throws InterruptedException {
    try (Session session = open()) {
      ReconfigureResult result = BirdReply.ofConfigure(session.ask("configure"));
      if (result instanceof ReconfigureResult.Confirmed) {
        try {
          session.idle(NUDGE_DELAY);
          session.ask("show status");
        } catch (IOException e) {
          // The nudge is an optimisation: BIRD confirmed the configure, which is what counts.
        }
      }
      return result;
    } catch (IOException e) {
      return new ReconfigureResult.Failed(
          "'configure' on BIRD's control socket " + socket + " failed: " + e.getMessage());
    }
  }

  /** Returns whether BIRD accepts its configuration files as they are now (code 0020). */
  public ReconfigureResult configureCheck() throws InterruptedException {
    return ask("configure check", BirdReply::ofConfigureCheck);
  }

  @Override
  public String describe() {
    return "control socket " + socket;
  }

  private ReconfigureResult ask(
      String command, java.util.function.Function<List<BirdReply.Line>, ReconfigureResult> read)
      throws InterruptedException {
    try {
      return read.apply(command(command));
    } catch (IOException e) {
      return new ReconfigureResult.Failed(
          "'" + command + "' on BIRD's control socket " + socket + " failed: " + e.getMessage());
    }
  }

  /**
   * Returns BIRD's reply to one CLI command (the greeting excluded).
   *
   * @throws SocketTimeoutException when BIRD does not finish its reply within the timeout
   * @throws IOException when the socket cannot be reached or speaks another protocol
   */
  public List<BirdReply.Line> command(String command) throws IOException, InterruptedException {
    try (Session session = open()) {
      return session.ask(command);
    }
  }

  /** Returns a connection past BIRD's greeting; every command on it shares one deadline. */
  private Session open() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    Selector selector = null;
    try {
      selector = Selector.open();
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ);
      Session session = new Session(ch, selector, new ReplyReader(ch, selector, deadline));
      List<BirdReply.Line> greeting = session.reader.reply();
      if (greeting.getLast().code() != BirdReply.WELCOME) {
        throw new IOException("unexpected greeting: " + BirdReply.errorText(greeting));
      }
      return session;
    } catch (IOException | RuntimeException | InterruptedException e) {
      if (selector != null) {
        selector.close();
      }
      ch.close();
      throw e;
    }
  }

  /** One open connection to the control socket. */
  private record Session(SocketChannel ch, Selector selector, ReplyReader reader)
      implements AutoCloseable {
    List<BirdReply.Line> ask(String command) throws IOException, InterruptedException {
      ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        ch.write(out); // a few bytes into a local socket: never blocks for long
      }
      return reader.reply();
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
  }

  /** Reads reply lines up to and including the last one ({@code DDDD text}). */
  private static final class ReplyReader {
    private final SocketChannel ch;
    private final Selector selector;
    private final long deadline;
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    private int total;

    ReplyReader(SocketChannel ch, Selector selector, long deadline) {
      this.ch = ch;
      this.selector = selector;
      this.deadline = deadline;
      in.limit(0);
    }

    List<BirdReply.Line> reply() throws IOException, InterruptedException {
      List<BirdReply.Line> lines = new ArrayList<>();
      int code = 0;
      while (true) {
        String raw = nextLine();
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

    private String nextLine() throws IOException, InterruptedException {
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
        fill();
        in.flip();
      }
    }

    private void fill() throws IOException, InterruptedException {
      while (true) {
        int n = ch.read(in);
        if (n < 0) {
          throw new IOException("BIRD closed the connection before the end of its reply");
        }
        if (n > 0) {
          total += n;
          if (total > MAX_REPLY_BYTES) {
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
}
