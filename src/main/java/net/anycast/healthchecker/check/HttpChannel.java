package net.anycast.healthchecker.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import net.anycast.healthchecker.reactor.Reactor;

/**
 * One plain HTTP/1.1 connection on a reactor: connects without blocking, writes a request,
 * feeds what arrives to an {@link HttpResponseReader} (through the reactor's shared read
 * buffer), and stays open for the next request when the response allows it. Between requests
 * it stays registered for reading: a server that closes an idle connection is noticed then, and
 * one that closes it just as a request leaves makes the request go once more on a new
 * connection (see {@link PlainHttpCheck}).
 * On the reactor thread only.
 */
final class HttpChannel implements Reactor.Handler {
  /** What one exchange ended with, told on the reactor thread. */
  interface Listener {
    /** The response is complete in the reader. */
    void answered(HttpResponseReader reader);

    /** The connection failed (refused, reset, closed early, malformed response). */
    void failed(IOException e);
  }

  private final Reactor reactor;
  private final SocketChannel channel;
  private final SelectionKey key;
  private boolean connected;
  private ByteBuffer request; // being sent; null once sent
  private HttpResponseReader reader;
  private Listener listener; // null while idle

  private HttpChannel(Reactor reactor, SocketChannel channel, boolean connected)
      throws IOException {
    this.reactor = reactor;
    this.channel = channel;
    this.connected = connected;
    this.key = reactor.register(channel, connected ? 0 : SelectionKey.OP_CONNECT, this);
  }

  /** Starts connecting to {@code target}, from {@code source} when given. */
  static HttpChannel connect(Reactor reactor, InetSocketAddress target,
      Optional<InetAddress> source) throws IOException {
    SocketChannel ch = SocketChannel.open();
    try {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (source.isPresent()) {
        ch.bind(new InetSocketAddress(source.get(), 0));
      }
      return new HttpChannel(reactor, ch, ch.connect(target));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Returns whether the connection may carry a request. */
  boolean open() {
    return channel.isOpen();
  }

  /**
   * Sends {@code request} (once connected) and reads its response into {@code reader}, which
   * must have been reset; the outcome goes to {@code listener}.
   */
  void exchange(ByteBuffer request, HttpResponseReader reader, Listener listener) {
    this.request = request;
    this.reader = reader;
    this.listener = listener;
    if (connected) {
      write();
    }
  }

  @Override
  public void ready(SelectionKey k) {
    if (listener == null) { // idle: the server closed it, or sent something unasked
      close();
      return;
    }
    try {
      if (!connected) {
        if (!channel.finishConnect()) {
          return;
        }
        connected = true;
        write();
      } else if (request != null) {
        write();
      } else {
        read();
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void write() {
    try {
      channel.write(request);
      if (request.hasRemaining()) {
        key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
      request = null;
      if (key.interestOps() != SelectionKey.OP_READ) {
        key.interestOps(SelectionKey.OP_READ);
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void read() throws IOException {
    while (true) {
      ByteBuffer in = reactor.scratch();
      int n = channel.read(in);
      if (n == 0) {
        return;
      }
      if (n < 0) {
        if (reader.endOfInput()) {
          close();
          answered();
        }
        return;
      }
      in.flip();
      if (reader.feed(in)) {
        answered();
        return;
      }
    }
  }

  private void answered() {
    Listener l = listener;
    HttpResponseReader r = reader;
    listener = null;
    reader = null;
    // Still registered for reading while idle: a server closing the connection is noticed (and
    // the connection closed) at once, and the next request changes no registration.
    l.answered(r);
  }

  private void fail(IOException e) {
    Listener l = listener;
    listener = null;
    close();
    l.failed(e);
  }

  /** Closes the connection. */
  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to do: the descriptor is released either way.
    }
  }
}
