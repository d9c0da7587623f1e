package net.anycast.healthchecker.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import net.anycast.healthchecker.config.CheckSpec;

/**
 * The connections of the HTTP checks: the kept-alive connections of each server
 * ({@link HttpTarget}, for checks that do not follow redirects), and the JDK's HTTP clients of
 * checks that follow them, one per distinct set of client options (every client costs a selector
 * thread and a connection pool; sharing them lets 5,000 checks with the same options cost one
 * thread).
 *
 * <p>A {@code Host} header needs {@code jdk.httpclient.allowRestrictedHeaders=host}, which the
 * JDK reads once when its HTTP classes load: {@code Main} sets it first thing.
 */
public final class HttpClients implements AutoCloseable {
  /** What makes two clients differ. */
  private record Options(boolean redirects, CheckSpec.Tls tls, Optional<InetAddress> source) {}

  private final Map<Options, HttpClient> clients = new ConcurrentHashMap<>();
  private final Map<HttpTarget.Key, HttpTarget> targets = new ConcurrentHashMap<>();
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-check-", 0).factory());

  /**
   * Returns the shared client for the options of {@code spec}.
   *
   * @throws IOException when its CA file cannot be read
   */
  HttpClient client(CheckSpec.Http spec) throws IOException {
    Options o = new Options(spec.followRedirects(), spec.tls(), spec.source());
    HttpClient c = clients.get(o);
    if (c != null) {
      return c;
    }
    synchronized (clients) {
      c = clients.get(o);
      if (c == null) {
        c = build(o);
        clients.put(o, c);
      }
      return c;
    }
  }

  /**
   * Returns the shared target of {@code spec}'s server, with its idle connections.
   *
   * @throws IOException when its CA file cannot be read
   */
  HttpTarget target(CheckSpec.Http spec) throws IOException {
    HttpTarget.Key key = HttpTarget.Key.of(spec);
    HttpTarget t = targets.get(key);
    if (t != null) {
      return t;
    }
    synchronized (targets) {
      t = targets.get(key);
      if (t == null) {
        t = new HttpTarget(key);
        targets.put(key, t);
      }
      return t;
    }
  }

  private HttpClient build(Options o) throws IOException {
    SSLContext tls = TlsContexts.context(o.tls());
    HttpClient.Builder b = HttpClient.newBuilder()
        // HTTP/1.1: no h2c upgrade attempt on plain http, one connection reused per check.
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(o.redirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
        .executor(executor)
        .sslContext(tls)
        .sslParameters(TlsContexts.parameters(tls, o.tls()));
    o.source().ifPresent(b::localAddress);
    return b.build();
  }

  /** Closes every client and its connections. */
  @Override
  public void close() {
    synchronized (clients) {
      clients.values().forEach(HttpClient::shutdownNow);
      clients.clear();
    }
    synchronized (targets) {
      targets.values().forEach(HttpTarget::close);
      targets.clear();
    }
    executor.shutdownNow();
  }
}
