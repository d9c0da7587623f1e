package net.anycast.healthchecker.check;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.Consumer;
import net.anycast.healthchecker.config.CheckSpec;
import net.anycast.healthchecker.reactor.Reactor;
import net.anycast.healthchecker.reactor.Timer;

/**
 * {@code check_tcp_address} alone (no TLS, nothing to send or expect): a non-blocking connect on
 * the service's reactor, with {@code check_timeout} as its deadline. No thread waits for it.
 *
 * <p>The connection is closed with {@code SO_LINGER} 0, so the kernel sends a reset instead of
 * the FIN handshake and keeps no TIME_WAIT entry: at thousands of checks a second to one port,
 * TIME_WAIT entries would pile up by the tens of thousands and use up the source ports. An
 * operator sees it from the service's side: every check's connection ends in a reset ("connection
 * reset by peer" in a server that logs it), not an orderly close.
 */
final class TcpConnectCheck implements ReactorCheck, Reactor.Handler {
  private final CheckSpec.Tcp spec;
  private final Reactor reactor;
  private final Timer deadline = new Timer(this::timedOut);
  private final String connected;
  // The run in flight, touched on the reactor thread only; done is null between runs.
  private SocketChannel channel;
  private Consumer<CheckResult> done;
  private long startNanos;

  TcpConnectCheck(CheckSpec.Tcp spec, Reactor reactor) {
    if (!serves(spec)) {
      throw new IllegalArgumentException("not a plain TCP connect: " + spec);
    }
    this.spec = spec;
    this.reactor = reactor;
    this.connected = "connected to " + spec.target();
  }

  /** Returns whether {@code spec} is a plain connect to an address (what this check does). */
  static boolean serves(CheckSpec.Tcp spec) {
    return spec.tlsOptions().isEmpty() && spec.send().length == 0 && spec.expect().length == 0
        && !spec.address().isUnresolved();
  }

  @Override
  public void begin(Duration timeout, Consumer<CheckResult> done) {
    reactor.run(() -> start(timeout, done));
  }

  private void start(Duration timeout, Consumer<CheckResult> whenDone) {
    done = whenDone;
    startNanos = reactor.nanoTime();
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      // On loopback the kernel completes the handshake within connect(): asking once at once
      // spares the selector a registration and its removal (two epoll_ctl calls and a wake-up)
      // for most checks; a remote connect costs one poll more.
      if (channel.connect(spec.address()) || channel.finishConnect()) {
        end(new CheckResult.Passed(elapsed(), connected));
        return;
      }
      reactor.register(channel, SelectionKey.OP_CONNECT, this);
      reactor.arm(deadline, startNanos + timeout.toNanos());
    } catch (IOException e) {
      end(new CheckResult.Failed(elapsed(), NetworkFailure.reason(e)));
    }
  }

  @Override
  public void ready(SelectionKey key) {
    if (done == null) {
      return;
    }
    try {
      if (channel.finishConnect()) {
        end(new CheckResult.Passed(elapsed(), connected));
      }
    } catch (IOException e) {
      end(new CheckResult.Failed(elapsed(), NetworkFailure.reason(e)));
    }
  }

  private void timedOut() {
    if (done != null) {
      end(CheckResult.TimedOut.builtIn(elapsed(), "connect timed out"));
    }
  }

  private void end(CheckResult result) {
    reactor.disarm(deadline);
    if (channel != null) {
      try {
        channel.close(); // SO_LINGER 0: a reset, no TIME_WAIT
      } catch (IOException e) {
        // Nothing to do: the descriptor is released either way.
      }
      channel = null;
    }
    Consumer<CheckResult> d = done;
    done = null;
    d.accept(result);
  }

  private Duration elapsed() {
    return Duration.ofNanos(reactor.nanoTime() - startNanos);
  }

  @Override
  public String describe() {
    return spec.target();
  }
}
