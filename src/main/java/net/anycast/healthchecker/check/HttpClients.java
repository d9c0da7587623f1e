package net.anycast.healthchecker.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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
  /** How often the targets' idle connections are looked at for expiry, at most. */
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(30);
  private final LongSupplier nanoTime;
  private final AtomicLong nextSweep;

  /** Returns the clients and targets of the daemon, on the monotonic clock. */
  public HttpClients() {
    this(System::nanoTime);
  }

  /** As {@link #HttpClients()}, idle connections timed on {@code nanoTime} (tests). */
  HttpClients(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.nextSweep = new AtomicLong(nanoTime.getAsLong() + SWEEP_EVERY.toNanos());
  }

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
    expireIdle();
    HttpTarget.Key key = HttpTarget.Key.of(spec);
    HttpTarget t = targets.get(key);
    if (t != null) {
      return t;
    }
    synchronized (targets) {
      t = targets.get(key);
      if (t == null) {
        t = new HttpTarget(key, nanoTime);
        targets.put(key, t);
      }
      return t;
    }
  }

  /**
   * At most every {@link #SWEEP_EVERY}, on the way of any check: closes the connections idle for
   * the limit, of every server, so a server no check asks any more (a reload removed its
   * service) is let go once any HTTP check runs.
   */
  private void expireIdle() {
    long now = nanoTime.getAsLong();
    long due = nextSweep.get();
    if (now - due >= 0 && nextSweep.compareAndSet(due, now + SWEEP_EVERY.toNanos())) {
      targets.values().forEach(HttpTarget::expire);
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
