package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BIRD's control socket played by a test: accepts any number of connections (each on its own
 * virtual thread), greets each with 0001 and answers every command line as {@link Script} says.
 * Records how many connections it accepted and every command as {@code "N:command"}, N counting
 * connections from 1; a connection the client closed is recorded as {@code "N:EOF"}.
 */
final class FakeBird implements AutoCloseable {
  private static final int MAX_CONNECTIONS = 1_000;
  private static final int MAX_COMMANDS = 100_000;

  /** What the fake does with one command: reply after {@code delay}, then maybe hang up. */
  record Answer(String reply, Duration delay, boolean hangUp) {
    static Answer reply(String text) {
      return new Answer(text, Duration.ZERO, false);
    }

    /** Closes the connection without a word, as a BIRD that stops mid-command. */
    static Answer silentHangUp() {
      return new Answer("", Duration.ZERO, true);
    }

    Answer thenHangUp() {
      return new Answer(reply, delay, true);
    }

    Answer after(Duration d) {
      return new Answer(reply, d, hangUp);
    }
  }

  /** Decides the answer to {@code command} on connection number {@code connection}. */
  @FunctionalInterface
  interface Script {
    Answer answer(int connection, String command);
  }

  /** BIRD's usual answers: configure confirmed, show status up, anything else echoed. */
  static Answer usual(String command) {
    return switch (command) {
      case "configure" -> Answer.reply("0002-Reading configuration from /etc/bird/bird.conf\n"
          + "0003 Reconfigured\n");
      case "configure check" -> Answer.reply("0020 Configuration OK\n");
      case "show status" -> Answer.reply("1000-BIRD 2.0.12\n0013 Daemon is up and running\n");
      default -> Answer.reply("0000 " + command + "\n");
    };
  }

  private final Path path;
  private final ServerSocketChannel server;
  private final Script script;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> events = new CopyOnWriteArrayList<>();

  private FakeBird(Path path, Script script) throws IOException {
    this.path = path;
    this.script = script;
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Thread.ofVirtual().start(this::acceptAll);
  }

  /** Starts a fake on {@code path} that answers as {@code script} says. */
  static FakeBird start(Path path, Script script) throws IOException {
    return new FakeBird(path, script);
  }

  /** Starts a fake that always gives BIRD's usual answers. */
  static FakeBird start(Path path) throws IOException {
    return start(path, (n, command) -> usual(command));
  }

  Path path() {
    return path;
  }

  /** Returns how many connections were accepted, which is also how many greetings were sent. */
  int connections() {
    return connections.get();
  }

  /** Returns the recorded events, {@code "N:command"} or {@code "N:EOF"}. */
  List<String> events() {
    return List.copyOf(events);
  }

  /** Waits (at most 5 s) until {@code event} was recorded; returns whether it was. */
  boolean await(String event) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!events.contains(event) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return events.contains(event);
  }

  private void acceptAll() {
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      SocketChannel c;
      try {
        c = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      int n = connections.incrementAndGet();
      Thread.ofVirtual().start(() -> serve(c, n));
    }
  }

  private void serve(SocketChannel c, int n) {
    try (c) {
      write(c, "0001 BIRD 2.0.12 ready.\n");
      ByteBuffer in = ByteBuffer.allocate(4096);
      StringBuilder buf = new StringBuilder();
      for (int i = 0; i < MAX_COMMANDS; i++) {
        int nl;
        while ((nl = buf.indexOf("\n")) < 0) {
          if (c.read(in) < 0) {
            events.add(n + ":EOF");
            return;
          }
          in.flip();
          buf.append(StandardCharsets.UTF_8.decode(in));
          in.clear();
        }
        String command = buf.substring(0, nl);
        buf.delete(0, nl + 1);
        events.add(n + ":" + command);
        Answer a = script.answer(n, command);
        Thread.sleep(a.delay());
        write(c, a.reply());
        if (a.hangUp()) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away mid-answer, or the test ended
    }
  }

  private static void write(SocketChannel c, String text) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      c.write(out);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
