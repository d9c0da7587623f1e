package net.anycast.healthchecker.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import net.anycast.healthchecker.config.CheckSpec;

/**
 * Where the HTTP checks of one server connect, and their idle kept-alive connections: one per
 * scheme, host, port, TLS options and source address. A check takes an idle connection (or opens
 * one), and gives it back when the response left it usable; checks of the same server share them.
 * A connection idle for {@link HttpIdleConnections#IDLE_LIMIT} is closed instead of used, and
 * {@link #expire} closes such connections of a server nobody checks any more.
 */
final class HttpTarget implements AutoCloseable {
  /** What makes two targets differ. */
  record Key(String scheme, String host, int port, CheckSpec.Tls tls,
      Optional<InetAddress> source) {
    static Key of(CheckSpec.Http spec) {
      URI url = spec.url();
      boolean https = "https".equalsIgnoreCase(url.getScheme());
      int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
      return new Key(https ? "https" : "http", url.getHost(), port,
          https ? spec.tls() : null, Optional.ofNullable(spec.sourceAddress()));
    }
  }

  private final Key key;
  private final SSLContext tls; // null for http
  private final SSLParameters parameters;
  /** An idle connection and since when (nanoseconds of the target's clock). */
  private record Idle(HttpConnection connection, long sinceNanos) {}

  private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();
  private final LongSupplier nanoTime;
  private volatile boolean closed;

  /** @throws IOException when the TLS options' CA file cannot be read */
  HttpTarget(Key key, LongSupplier nanoTime) throws IOException {
    this.key = key;
    this.nanoTime = nanoTime;
    this.tls = key.tls() == null ? null : TlsContexts.context(key.tls());
    this.parameters = tls == null ? null : TlsContexts.parameters(tls, key.tls());
  }

  Key key() {
    return key;
  }

  /** Returns the TLS context, empty for plain HTTP. */
  Optional<SSLContext> tls() {
    return Optional.ofNullable(tls);
  }

  SSLParameters parameters() {
    return parameters;
  }

  /**
   * Returns the most recently used idle connection, if any idle for less than the limit; older
   * ones are closed on the way.
   */
  Optional<HttpConnection> takeIdle() {
    long now = nanoTime.getAsLong();
    for (Idle i; (i = idle.pollFirst()) != null; ) {
      if (now - i.sinceNanos() < HttpIdleConnections.IDLE_LIMIT.toNanos()) {
        return Optional.of(i.connection());
      }
      i.connection().close();
    }
    return Optional.empty();
  }

  /** Keeps {@code c} for the next check, or closes it when this target is closed. */
  void giveBack(HttpConnection c) {
    idle.addFirst(new Idle(c, nanoTime.getAsLong()));
    if (closed) {
      close();
    }
  }

  /** Closes the connections idle for the limit (the oldest are at the tail). */
  void expire() {
    long now = nanoTime.getAsLong();
    for (Idle i; (i = idle.peekLast()) != null
        && now - i.sinceNanos() >= HttpIdleConnections.IDLE_LIMIT.toNanos(); ) {
      if (idle.removeLastOccurrence(i)) { // else a check took it meanwhile
        i.connection().close();
      }
    }
  }

  /** Returns how many idle connections are kept (for tests). */
  int idleCount() {
    return idle.size();
  }

  /** Closes every idle connection; connections in use are closed when given back. */
  @Override
  public void close() {
    closed = true;
    for (Idle i; (i = idle.pollFirst()) != null; ) {
      i.connection().close();
    }
  }
}
