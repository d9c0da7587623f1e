package net.anycast.healthchecker.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import net.anycast.healthchecker.config.CheckSpec;

/**
 * {@code check_http_*}: one request on a kept-alive connection. Passes on a status of
 * {@code check_http_expect_status} whose body (its first 64 KiB) matches
 * {@code check_http_body_regex} when one is set.
 *
 * <p>Why not the JDK's {@code HttpClient} for every check: measured with 1,000 plain-HTTP checks
 * a second against a local server on a 2-core machine (docs/benchmarks.md, issue 12), its
 * {@code sendAsync} (request builder, several {@code CompletableFuture} stages, one selector
 * thread handing every response to an executor) cost about 0.67 ms of daemon CPU per check,
 * 0.61 ms with the executor's hops removed; one request written and read on a blocking socket by
 * the check's own virtual thread ({@link HttpConnection}) costs 0.30 ms, and the daemon's RSS fell
 * from about 130 to 82 MiB. Checks that follow redirects, and the hacheck proxy's one-off probes,
 * still use the JDK's client (its redirect rules; its pool's expiry of idle connections). A plain
 * {@code http://} check to an address without redirects does not come here at all: it runs on a
 * reactor ({@link PlainHttpCheck}, about 0.07 ms per check), with the same verdicts and reasons.
 */
public final class HttpCheck implements Check {
  /** How much of the body the regular expression sees; the rest is read and dropped. */
  static final int BODY_LIMIT = 64 * 1024;

  private final CheckSpec.Http spec;
  private final HttpClients clients;
  private final LongSupplier nanoTime;
  private final boolean probe;
  private final HttpRequestBytes request;

  /** Returns the check of {@code spec}, on connections of {@code clients} kept between runs. */
  public HttpCheck(CheckSpec.Http spec, HttpClients clients, LongSupplier nanoTime) {
    this(spec, clients, nanoTime, false);
  }

  /**
   * Returns the check of {@code spec}; a {@code probe} (a one-off request to an arbitrary URL,
   * the hacheck proxy's) goes through the JDK's client, whose pool closes the idle connections of
   * servers nobody asks again, where a check's kept connections wait for its next run.
   */
  public HttpCheck(CheckSpec.Http spec, HttpClients clients, LongSupplier nanoTime,
      boolean probe) {
    this.spec = spec;
    this.clients = clients;
    this.nanoTime = nanoTime;
    this.probe = probe;
    this.request = HttpRequestBytes.of(spec);
  }

  @Override
  public CheckResult run(Duration timeout) throws InterruptedException {
    return switch (exchange(timeout, spec.body().isPresent() ? BODY_LIMIT : 0)) {
      case Reply.Answered a -> verdict(spec, a.status(), a.body(), a.took());
      case Reply.NoAnswer n -> n.result();
    };
  }

  /** What one request got: a response, or none (and the failed result that says why). */
  public sealed interface Reply {
    /** The server answered with {@code status}; {@code body} is its first bytes as text. */
    record Answered(int status, String body, Duration took) implements Reply {}

    /** No response: refused, reset, timed out, a TLS failure, a bad request. */
    record NoAnswer(CheckResult result) implements Reply {}
  }

  /**
   * Returns what one request got within {@code timeout}, keeping at most {@code keepBody}
   * bytes of the body (the rest is read and dropped, so the connection can be reused).
   */
  public Reply exchange(Duration timeout, int keepBody) throws InterruptedException {
    Deadline deadline = Deadline.after(timeout, nanoTime);
    return spec.followRedirects() || probe ? jdkExchange(timeout, keepBody, deadline)
        : ownExchange(keepBody, deadline);
  }

  private Reply ownExchange(int keepBody, Deadline deadline) throws InterruptedException {
    if (request.problem().isPresent()) {
      return new Reply.NoAnswer(new CheckResult.Failed(deadline.elapsed(),
          "bad request: " + request.problem().get()));
    }
    HttpTarget target;
    try {
      target = clients.target(spec);
    } catch (IOException e) {
      return new Reply.NoAnswer(new CheckResult.Failed(deadline.elapsed(), e.getMessage()));
    }
    // A kept-alive connection the server closed meanwhile fails before any answer: the request
    // is sent once more on a new connection, within the same deadline (as the JDK's client does).
    for (int attempt = 0; ; attempt++) {
      HttpConnection c = target.takeIdle().orElse(null);
      boolean reused = c != null;
      try {
        if (c == null) {
          c = HttpConnection.open(target, deadline);
        }
        HttpConnection.Response r = c.exchange(request.bytes(), spec.method(), keepBody,
            deadline);
        if (r.keepAlive()) {
          target.giveBack(c);
        } else {
          c.close();
        }
        return new Reply.Answered(r.status(), r.body(), deadline.elapsed());
      } catch (SocketTimeoutException e) {
        close(c);
        return new Reply.NoAnswer(CheckResult.TimedOut.builtIn(deadline.elapsed(),
            "timed out waiting for " + spec.url()));
      } catch (IOException e) {
        close(c);
        if (Thread.interrupted()) {
          throw new InterruptedException("closing");
        }
        if (reused && !c.answered() && attempt == 0 && !deadline.passed()) {
          continue;
        }
        return new Reply.NoAnswer(new CheckResult.Failed(deadline.elapsed(),
            reason(e) + " (" + spec.url() + ")"));
      }
    }
  }

  /**
   * Returns the reason of a failed exchange. A failed connect says "connect failed", as it did
   * with the JDK's client (which cannot tell refused from other failures).
   */
  private static String reason(IOException e) {
    return e instanceof ConnectException ? "connect failed" : NetworkFailure.reason(e);
  }

  private static void close(HttpConnection c) {
    if (c != null) {
      c.close();
    }
  }

  private Reply jdkExchange(Duration timeout, int keepBody, Deadline deadline)
      throws InterruptedException {
    HttpClient client;
    try {
      client = clients.client(spec);
    } catch (IOException e) {
      return new Reply.NoAnswer(new CheckResult.Failed(deadline.elapsed(), e.getMessage()));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(spec.url())
        .timeout(timeout)
        .method(spec.method(), HttpRequest.BodyPublishers.noBody());
    spec.headers().forEach(h -> b.header(h.name(), h.value()));
    HttpRequest request;
    try {
      request = b.build();
    } catch (IllegalArgumentException e) {
      return new Reply.NoAnswer(
          new CheckResult.Failed(deadline.elapsed(), "bad request: " + e.getMessage()));
    }
    CompletableFuture<HttpResponse<String>> reply =
        client.sendAsync(request, info -> HttpResponse.BodySubscribers.fromSubscriber(
            new BoundedBody(keepBody), BoundedBody::text));
    HttpResponse<String> response;
    try {
      response = reply.get(Math.max(1, deadline.left().toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      reply.cancel(true);
      return new Reply.NoAnswer(CheckResult.TimedOut.builtIn(deadline.elapsed(),
          "timed out waiting for " + spec.url()));
    } catch (InterruptedException e) {
      reply.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HttpTimeoutException) {
        return new Reply.NoAnswer(CheckResult.TimedOut.builtIn(deadline.elapsed(),
            "timed out waiting for " + spec.url()));
      }
      return new Reply.NoAnswer(new CheckResult.Failed(deadline.elapsed(),
          NetworkFailure.reason(e.getCause()) + " (" + spec.url() + ")"));
    }
    return new Reply.Answered(response.statusCode(), response.body(), deadline.elapsed());
  }

  /** Returns the pure verdict of {@code spec} on a status and (bounded) body. */
  static CheckResult verdict(CheckSpec.Http spec, int status, String body, Duration took) {
    if (!spec.expectStatus().contains(status)) {
      return new CheckResult.Failed(took, "HTTP " + status + " from " + spec.url()
          + ", expected " + spec.expectStatus());
    }
    if (spec.body().isPresent() && !spec.body().get().matcher(body).find()) {
      return new CheckResult.Failed(took, "HTTP " + status + " from " + spec.url()
          + ", body does not match /" + spec.body().get().pattern() + "/");
    }
    return new CheckResult.Passed(took, "HTTP " + status + " from " + spec.url());
  }

  @Override
  public String describe() {
    return spec.method() + " " + spec.url();
  }

  /**
   * Keeps the first {@code limit} bytes of a body and reads the rest to its end, so that the
   * connection can be reused.
   */
  private static final class BoundedBody implements Flow.Subscriber<List<ByteBuffer>> {
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    BoundedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        int n = Math.min(b.remaining(), limit - kept.size());
        if (n > 0) {
          byte[] bytes = new byte[n];
          b.get(bytes);
          kept.write(bytes, 0, n);
        }
      }
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}

    String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }
}
