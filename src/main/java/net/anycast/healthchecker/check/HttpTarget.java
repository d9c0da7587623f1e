package net.anycast.healthchecker.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import net.anycast.healthchecker.config.CheckSpec;

/**
 * Where the HTTP checks of one server connect, and their idle kept-alive connections: one per
 * scheme, host, port, TLS options and source address. A check takes an idle connection (or opens
 * one), and gives it back when the response left it usable; checks of the same server share them.
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
  private final ConcurrentLinkedDeque<HttpConnection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  /** @throws IOException when the TLS options' CA file cannot be read */
  HttpTarget(Key key) throws IOException {
    this.key = key;
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

  /** Returns the most recently used idle connection, if any. */
  Optional<HttpConnection> takeIdle() {
    return Optional.ofNullable(idle.pollFirst());
  }

  /** Keeps {@code c} for the next check, or closes it when this target is closed. */
  void giveBack(HttpConnection c) {
    idle.addFirst(c);
    if (closed) {
      close();
    }
  }

  /** Closes every idle connection; connections in use are closed when given back. */
  @Override
  public void close() {
    closed = true;
    HttpConnection c;
    while ((c = idle.pollFirst()) != null) {
      c.close();
    }
  }
}
