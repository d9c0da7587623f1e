package net.anycast.healthchecker.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import net.anycast.healthchecker.check.CheckResult;
import net.anycast.healthchecker.check.HttpCheck;
import net.anycast.healthchecker.check.HttpClients;
import net.anycast.healthchecker.check.TcpCheck;
import net.anycast.healthchecker.config.CheckSpec;
import net.anycast.healthchecker.config.StatusSet;

/**
 * Runs the probes of hacheck's proxy endpoints with the built-in checks: an HTTP(S) GET of the
 * target with redirects off, or a TCP connect, within hacheck's 10 s. Answers come from a
 * {@link ProbeCache}; at most {@link #MAX_IN_FLIGHT} probes run at once, so a flood of distinct
 * URLs costs at most that many connections and waits, and is answered 503 beyond it.
 *
 * <p>Status codes, as hacheck's: an HTTP answer's status and (first {@link #BODY_LIMIT} bytes
 * of) body are passed through; no HTTP answer at all (refused, timed out, TLS failed) is 599,
 * the code hacheck's HTTP client reports for a request that never got a response; a TCP
 * connect is 200, a failed one 503.
 */
final class ProxyChecks implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final int MAX_IN_FLIGHT = 32;
  static final int BODY_LIMIT = 1024;

  // The certificate of a service names the service, not 127.0.0.1: hacheck does not verify it
  // either. What is checked is that the local server answers.
  private static final CheckSpec.Tls NO_VERIFY = new CheckSpec.Tls(false, null, null);
  private static final List<CheckSpec.Header> HEADERS =
      List.of(new CheckSpec.Header("User-Agent", "anycast-healthchecker (hacheck proxy)"));

  private final ProbeCache cache;
  private final int limit;
  private final Semaphore inFlight;
  private final HttpClients clients = new HttpClients();
  private final LongSupplier nanoTime;
  private final Duration timeout;

  ProxyChecks(LongSupplier nanoTime) {
    this(new ProbeCache(nanoTime), MAX_IN_FLIGHT, nanoTime, TIMEOUT);
  }

  ProxyChecks(ProbeCache cache, int maxInFlight, LongSupplier nanoTime, Duration timeout) {
    this.cache = cache;
    this.limit = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    this.nanoTime = nanoTime;
    this.timeout = timeout;
  }

  /** Returns the answer for {@code target}: cached, shared with a running probe, or probed. */
  ProxyAnswer answer(ProxyTarget target) throws InterruptedException {
    return switch (cache.lookup(target.key())) {
      case ProbeCache.Lookup.Shared s -> await(s);
      case ProbeCache.Lookup.Probe duty -> probe(target, duty);
    };
  }

  private ProxyAnswer probe(ProxyTarget target, ProbeCache.Lookup.Probe duty)
      throws InterruptedException {
    if (!inFlight.tryAcquire()) {
      ProxyAnswer busy = new ProxyAnswer(503, "too many proxied checks in flight (at most "
          + limit + "); try again");
      cache.drop(duty, busy);
      return busy;
    }
    ProxyAnswer answer = null;
    try {
      answer = target.kind() == ProxyTarget.Kind.TCP ? tcp(target) : http(target);
      return answer;
    } finally {
      inFlight.release();
      if (answer == null) { // interrupted: the listener is closing
        cache.drop(duty, new ProxyAnswer(599, "the check was interrupted"));
      } else {
        cache.put(duty, answer);
      }
    }
  }

  private ProxyAnswer http(ProxyTarget target) throws InterruptedException {
    var spec = new CheckSpec.Http(target.url(), "GET", HEADERS, StatusSet.SUCCESS, null, false,
        NO_VERIFY, null);
    return switch (new HttpCheck(spec, clients, nanoTime, true).exchange(timeout, BODY_LIMIT)) {
      case HttpCheck.Reply.Answered a -> new ProxyAnswer(a.status(), a.body());
      case HttpCheck.Reply.NoAnswer n -> new ProxyAnswer(599, n.result().reason());
    };
  }

  private ProxyAnswer tcp(ProxyTarget target) throws InterruptedException {
    var spec = new CheckSpec.Tcp(target.address(), null, new byte[0], new byte[0]);
    CheckResult r = new TcpCheck(spec, nanoTime).run(timeout);
    return new ProxyAnswer(r.passed() ? 200 : 503, r.reason());
  }

  private ProxyAnswer await(ProbeCache.Lookup.Shared shared) throws InterruptedException {
    try {
      // The probe that owns it ends within its timeout; the margin only guards against a bug.
      return shared.answer().get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return new ProxyAnswer(599, "no answer from the shared check: " + e);
    }
  }

  /** Returns how many probes run now. */
  int inFlight() {
    return limit - inFlight.availablePermits();
  }

  /** Closes the HTTP clients and their kept-alive connections. */
  @Override
  public void close() {
    clients.close();
  }
}
