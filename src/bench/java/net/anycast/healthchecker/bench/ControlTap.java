package net.anycast.healthchecker.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A relay between the daemon and the node BIRD's control socket that notes when each line the
 * daemon sends arrives: the moment a command was issued, to within the wake-up of a blocked
 * read (tens of microseconds), without asking the daemon. Every byte is passed on unchanged
 * both ways; the relay adds one local socket hop (about 0.1 ms) to the daemon's path to BIRD.
 */
final class ControlTap implements AutoCloseable {
  /** One line the daemon sent, and when it arrived here. */
  record Sent(Instant at, String line) {}

  private final Path path;
  private final Path bird;
  private final ServerSocketChannel server;
  private final List<Sent> sent = new ArrayList<>();
  private final List<SocketChannel> open = new ArrayList<>();

  private ControlTap(Path path, Path bird, ServerSocketChannel server) {
    this.path = path;
    this.bird = bird;
    this.server = server;
  }

  /** Listens on {@code path} and relays every connection to BIRD's socket {@code bird}. */
  static ControlTap start(Path path, Path bird) throws IOException {
    Files.deleteIfExists(path);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    ControlTap tap = new ControlTap(path, bird, server);
    Thread.ofPlatform().daemon().name("tap-accept").start(tap::accept);
    return tap;
  }

  /** Returns the path the daemon's {@code bird_socket} points at. */
  Path path() {
    return path;
  }

  /** Returns when the daemon first sent {@code command} at or after {@code from}. */
  synchronized Optional<Instant> firstSent(String command, Instant from) {
    return sent.stream().filter(s -> s.line().equals(command) && !s.at().isBefore(from))
        .map(Sent::at).findFirst();
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel daemon = server.accept();
        SocketChannel toBird = SocketChannel.open(UnixDomainSocketAddress.of(bird));
        synchronized (this) {
          open.add(daemon);
          open.add(toBird);
        }
        Thread.ofPlatform().daemon().name("tap-up").start(() -> relay(daemon, toBird, true));
        Thread.ofPlatform().daemon().name("tap-down").start(() -> relay(toBird, daemon, false));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void relay(SocketChannel from, SocketChannel to, boolean fromDaemon) {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    StringBuilder line = new StringBuilder();
    try (from; to) {
      while (from.read(buf) >= 0) {
        Instant at = Instant.now();
        buf.flip();
        if (fromDaemon) {
          note(at, buf.duplicate(), line);
        }
        while (buf.hasRemaining()) {
          to.write(buf);
        }
        buf.clear();
      }
    } catch (IOException e) {
      // one side closed: closing both ends the other direction too
    }
  }

  private void note(Instant at, ByteBuffer bytes, StringBuilder line) {
    for (char c : StandardCharsets.UTF_8.decode(bytes).toString().toCharArray()) {
      if (c == '\n') {
        synchronized (this) {
          sent.add(new Sent(at, line.toString()));
        }
        line.setLength(0);
      } else {
        line.append(c);
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (this) {
      for (SocketChannel c : open) {
        c.close();
      }
    }
    Files.deleteIfExists(path);
  }
}
