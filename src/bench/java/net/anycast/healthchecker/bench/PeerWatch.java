package net.anycast.healthchecker.bench;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches how many IPv4 routes the BGP peer has, over one long-lived connection to its control
 * socket (a connection per poll would cost the peer more than the poll). Polls every 0.5 ms, so
 * the time it reports is late by at most about a millisecond.
 */
final class PeerWatch implements AutoCloseable {
  private static final Pattern COUNT = Pattern.compile("(\\d+) of \\d+ routes");
  private static final byte[] QUERY =
      "show route table master4 count\n".getBytes(StandardCharsets.US_ASCII);

  private final SocketChannel channel;
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
  private final StringBuilder pending = new StringBuilder();

  PeerWatch(Path socket) throws IOException {
    channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    readReply(); // greeting
  }

  /** Returns the number of IPv4 routes the peer has now. */
  int count() throws IOException {
    channel.write(ByteBuffer.wrap(QUERY));
    Matcher m = COUNT.matcher(readReply());
    if (!m.find()) {
      throw new IOException("unexpected reply from the peer");
    }
    return Integer.parseInt(m.group(1));
  }

  /** Returns when the peer first had exactly {@code n} routes; throws after {@code timeout}. */
  Instant await(int n, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      seen = count();
      if (seen == n) {
        return Instant.now();
      }
      LockSupport.parkNanos(500_000);
    }
    throw new IOException("peer has " + seen + " routes after " + timeout + ", expected " + n);
  }

  /** Reads lines until one whose code is followed by a space (the last line of a reply). */
  private String readReply() throws IOException {
    StringBuilder reply = new StringBuilder();
    while (true) {
      int nl = pending.indexOf("\n");
      if (nl >= 0) {
        String line = pending.substring(0, nl);
        pending.delete(0, nl + 1);
        reply.append(line).append('\n');
        if (line.length() >= 5 && Character.isDigit(line.charAt(0)) && line.charAt(4) == ' ') {
          return reply.toString();
        }
        continue;
      }
      in.clear();
      if (channel.read(in) < 0) {
        throw new IOException("peer closed the control socket");
      }
      in.flip();
      pending.append(StandardCharsets.US_ASCII.decode(in));
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
