package net.anycast.healthchecker.check;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 connection of the HTTP checks: a socket (TLS when the target is https) whose
 * blocking calls park the check's virtual thread, every wait bounded by the run's
 * {@link Deadline}. {@link #exchange} writes one request and reads its response to the end, so
 * the connection can carry the next one.
 */
final class HttpConnection implements AutoCloseable {
  /** The longest status or header line accepted. */
  private static final int MAX_LINE = 8 * 1024;
  /** The most header lines accepted. */
  private static final int MAX_HEADERS = 200;

  /** What {@link #exchange} read: the status, the first bytes of the body, reusability. */
  record Response(int status, String body, boolean keepAlive) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private boolean answered; // a byte of this exchange's response was read: no retry then

  private HttpConnection(Socket socket) throws IOException {
    this.socket = socket;
    // Small: thousands of idle connections keep one each, and a response's head is a few
    // hundred bytes (a body read bigger than the buffer bypasses it).
    this.in = new BufferedInputStream(socket.getInputStream(), 1024);
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code target} (and completes the TLS handshake) within {@code deadline}. */
  static HttpConnection open(HttpTarget target, Deadline deadline) throws IOException {
    HttpTarget.Key key = target.key();
    Socket plain = new Socket();
    try {
      plain.setTcpNoDelay(true);
      if (key.source().isPresent()) {
        plain.bind(new InetSocketAddress(key.source().get(), 0));
      }
      plain.connect(new InetSocketAddress(key.host(), key.port()), deadline.millisLeft());
      if (target.tls().isEmpty()) {
        return new HttpConnection(plain);
      }
      SSLContext tls = target.tls().get();
      String name = key.tls().sni().orElse(key.host());
      SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, name, key.port(), true);
      s.setSSLParameters(target.parameters());
      plain.setSoTimeout(deadline.millisLeft());
      s.startHandshake();
      return new HttpConnection(s);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** Returns true once a byte of the current exchange's response arrived. */
  boolean answered() {
    return answered;
  }

  /**
   * Sends {@code request} and returns its response, keeping at most {@code keepBody} bytes of
   * the body and reading the rest to its end.
   */
  Response exchange(byte[] request, String method, int keepBody, Deadline deadline)
      throws IOException {
    answered = false;
    socket.setSoTimeout(deadline.millisLeft());
    out.write(request);
    out.flush();
    HttpResponseHead head;
    do { // interim 1xx answers (100 Continue) precede the real one
      String status = line(deadline);
      List<String> headers = new ArrayList<>();
      for (String h = line(deadline); !h.isEmpty(); h = line(deadline)) {
        if (headers.size() == MAX_HEADERS) {
          throw new IOException("more than " + MAX_HEADERS + " response headers");
        }
        headers.add(h);
      }
      head = HttpResponseHead.parse(status, headers, method);
    } while (head.status() / 100 == 1 && head.status() != 101);
    ByteArrayOutputStream kept = new ByteArrayOutputStream(Math.min(keepBody, 1024));
    switch (head.framing()) {
      case NONE -> { }
      case LENGTH -> body(head.length(), kept, keepBody, deadline);
      case CHUNKED -> chunks(kept, keepBody, deadline);
      case UNTIL_CLOSE -> body(Long.MAX_VALUE, kept, keepBody, deadline);
    }
    return new Response(head.status(), kept.toString(StandardCharsets.UTF_8), head.keepAlive());
  }

  private void chunks(ByteArrayOutputStream kept, int keepBody, Deadline deadline)
      throws IOException {
    while (true) {
      String size = line(deadline);
      int ext = size.indexOf(';');
      long n;
      try {
        n = Long.parseLong((ext < 0 ? size : size.substring(0, ext)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size");
      }
      if (n == 0) {
        while (!line(deadline).isEmpty()) { } // trailers
        return;
      }
      body(n, kept, keepBody, deadline);
      if (!line(deadline).isEmpty()) {
        throw new IOException("bad chunk end");
      }
    }
  }

  /** Reads {@code n} body bytes (until end of file for {@code Long.MAX_VALUE}). */
  private void body(long n, ByteArrayOutputStream kept, int keepBody, Deadline deadline)
      throws IOException {
    byte[] buffer = new byte[(int) Math.min(8 * 1024, Math.max(1, n))];
    long left = n;
    while (left > 0) {
      socket.setSoTimeout(deadline.millisLeft());
      int got = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (got < 0) {
        if (n == Long.MAX_VALUE) {
          return;
        }
        throw new EOFException("connection closed in the body");
      }
      int keep = Math.min(got, keepBody - kept.size());
      if (keep > 0) {
        kept.write(buffer, 0, keep);
      }
      left -= got;
    }
  }

  /** Reads one line without its CR LF. */
  private String line(Deadline deadline) throws IOException {
    socket.setSoTimeout(deadline.millisLeft()); // a field of the socket: no system call
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      answered = true;
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1)
            : line.toString();
      }
      if (line.length() == MAX_LINE) {
        throw new IOException("response line longer than " + MAX_LINE + " bytes");
      }
      line.append((char) b); // ISO-8859-1, as header fields are
      if (line.length() % 256 == 0 && deadline.passed()) { // a server trickling bytes
        throw new SocketTimeoutException();
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do: the descriptor is released either way.
    }
  }
}
