package net.anycast.healthchecker.check;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;
import net.anycast.healthchecker.config.CheckSpec;
import net.anycast.healthchecker.reactor.Reactor;
import net.anycast.healthchecker.reactor.Timer;

/**
 * {@code check_http_*} for a plain {@code http://} URL to an address, without redirects: one
 * request on a kept-alive connection (shared with the reactor's other checks of the same server,
 * {@link HttpIdleConnections}), written and read on the service's reactor ({@link HttpChannel},
 * {@link HttpResponseReader}); {@code check_timeout} is the deadline of the whole run. Passes
 * and fails exactly as {@link HttpCheck} does (status set, body regular expression on the first
 * 64 KiB), with the same reasons. HTTPS, redirects and host
 * names (a resolver call blocks) stay with {@link HttpCheck}.
 *
 * <p>Per run it allocates no buffer: the request's bytes are made once, the reader and the
 * connections are reused, and what arrives is read through the reactor's one buffer.
 */
final class PlainHttpCheck implements ReactorCheck, HttpChannel.Listener {
  private final CheckSpec.Http spec;
  private final Reactor reactor;
  private final HttpIdleConnections idle;
  private final HttpTarget.Key key;
  private final HttpRequestBytes request;
  private final ByteBuffer requestBytes;
  private final InetSocketAddress target;
  private final int keepBody;
  private final HttpResponseReader reader = new HttpResponseReader();
  private final Timer deadline = new Timer(this::timedOut);
  // On the reactor thread only; done is null between runs.
  private HttpChannel channel; // the connection of the run in flight
  private Consumer<CheckResult> done;
  private long startNanos;
  private long deadlineNanos;
  private boolean reused;
  private boolean retried;

  /** Returns the check of {@code spec} on {@code reactor}, sharing its {@code idle} connections. */
  PlainHttpCheck(CheckSpec.Http spec, Reactor reactor, HttpIdleConnections idle) {
    if (!serves(spec)) {
      throw new IllegalArgumentException("not a plain-HTTP check to an address: " + spec.url());
    }
    this.spec = spec;
    this.reactor = reactor;
    this.idle = idle;
    this.request = HttpRequestBytes.of(spec);
    this.requestBytes = ByteBuffer.wrap(request.bytes()).asReadOnlyBuffer();
    this.key = HttpTarget.Key.of(spec);
    this.target = new InetSocketAddress(literal(key.host()), key.port());
    this.keepBody = spec.body().isPresent() ? HttpCheck.BODY_LIMIT : 0;
  }

  /** Returns whether {@code spec} is what this check does: http, no redirects, an address. */
  static boolean serves(CheckSpec.Http spec) {
    return "http".equalsIgnoreCase(spec.url().getScheme()) && !spec.followRedirects()
        && spec.url().getHost() != null && literal(spec.url().getHost()) != null;
  }

  /** Returns the address written in {@code host}, or null when it is a name. */
  private static InetAddress literal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
        : host;
    try {
      return InetAddress.ofLiteral(h);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void begin(Duration timeout, Consumer<CheckResult> whenDone) {
    reactor.run(() -> start(timeout, whenDone));
  }

  private void start(Duration timeout, Consumer<CheckResult> whenDone) {
    done = whenDone;
    startNanos = reactor.nanoTime();
    if (request.problem().isPresent()) {
      end(new CheckResult.Failed(elapsed(), "bad request: " + request.problem().get()));
      return;
    }
    deadlineNanos = startNanos + timeout.toNanos();
    reactor.arm(deadline, deadlineNanos);
    retried = false;
    send();
  }

  private void send() {
    channel = idle.take(key);
    reused = channel != null;
    try {
      if (!reused) {
        channel = HttpChannel.connect(reactor, target, spec.source());
      }
    } catch (IOException e) {
      channel = null;
      end(new CheckResult.Failed(elapsed(), reason(e) + " (" + spec.url() + ")"));
      return;
    }
    reader.reset(spec.method(), keepBody);
    requestBytes.rewind();
    channel.exchange(requestBytes, reader, this);
  }

  @Override
  public void answered(HttpResponseReader r) {
    if (r.keepAlive() && channel.open()) {
      idle.giveBack(key, channel);
      channel = null;
    } else {
      closeChannel();
    }
    end(HttpCheck.verdict(spec, r.status(), r.body(), elapsed()));
  }

  @Override
  public void failed(IOException e) {
    closeChannel();
    if (done == null) {
      return;
    }
    // A kept-alive connection the server closed meanwhile fails before any answer: the request
    // is sent once more on a new connection, within the same deadline (as HttpCheck does).
    if (reused && !reader.answered() && !retried && reactor.nanoTime() - deadlineNanos < 0) {
      retried = true;
      send();
      return;
    }
    end(new CheckResult.Failed(elapsed(), reason(e) + " (" + spec.url() + ")"));
  }

  private void timedOut() {
    if (done != null) {
      closeChannel();
      end(CheckResult.TimedOut.builtIn(elapsed(), "timed out waiting for " + spec.url()));
    }
  }

  private void end(CheckResult result) {
    reactor.disarm(deadline);
    Consumer<CheckResult> d = done;
    done = null;
    d.accept(result);
  }

  private void closeChannel() {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  /** A failed connect says "connect failed", as {@link HttpCheck} says it. */
  private static String reason(IOException e) {
    return e instanceof ConnectException ? "connect failed" : NetworkFailure.reason(e);
  }

  private Duration elapsed() {
    return Duration.ofNanos(reactor.nanoTime() - startNanos);
  }

  @Override
  public String describe() {
    return spec.method() + " " + spec.url();
  }
}
