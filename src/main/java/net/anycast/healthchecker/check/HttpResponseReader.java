package net.anycast.healthchecker.check;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one HTTP/1.x response from bytes as they arrive, in whatever pieces: the status line,
 * the headers (interim 1xx answers skipped), then a body delimited by Content-Length, chunked
 * encoding or the end of the connection, of which the first {@code keepBody} bytes are kept and
 * the rest dropped. The framing rules are {@link HttpResponseHead}'s. Pure: no socket, so every
 * split of a response is tested as bytes. Made once per check and {@link #reset} for each
 * request: the line buffer and the kept body are reused.
 */
final class HttpResponseReader {
  /** The longest status or header line accepted. */
  static final int MAX_LINE = 8 * 1024;
  /** The most header lines accepted. */
  static final int MAX_HEADERS = 200;

  private enum State { STATUS, HEADERS, LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS,
    UNTIL_CLOSE, DONE }

  private final StringBuilder line = new StringBuilder(128);
  private final List<String> headers = new ArrayList<>();
  private byte[] kept = new byte[0];
  private int keptLength;
  private int keepBody;
  private String method = "GET";
  private State state = State.DONE;
  private String statusLine;
  private HttpResponseHead head;
  private long left;
  private boolean answered;

  /** Makes the reader ready for the response to a request of {@code method}. */
  void reset(String method, int keepBody) {
    this.method = method;
    this.keepBody = keepBody;
    if (kept.length < Math.min(keepBody, 1024)) {
      kept = new byte[Math.min(keepBody, 1024)];
    }
    keptLength = 0;
    line.setLength(0);
    headers.clear();
    head = null;
    state = State.STATUS;
    answered = false;
  }

  /**
   * Consumes bytes of {@code in} and returns true once the response is complete (bytes after it
   * are left in {@code in}).
   *
   * @throws IOException when the response is malformed
   */
  boolean feed(ByteBuffer in) throws IOException {
    if (in.hasRemaining()) {
      answered = true;
    }
    while (state != State.DONE && in.hasRemaining()) {
      switch (state) {
        case STATUS, HEADERS, CHUNK_SIZE, CHUNK_END, TRAILERS -> {
          if (line(in)) {
            lineDone(takeLine());
          }
        }
        case LENGTH, CHUNK_DATA -> {
          int n = (int) Math.min(left, in.remaining());
          keep(in, n);
          left -= n;
          if (left == 0) {
            state = state == State.LENGTH ? State.DONE : State.CHUNK_END;
          }
        }
        case UNTIL_CLOSE -> keep(in, in.remaining());
        case DONE -> { }
      }
    }
    return state == State.DONE;
  }

  /**
   * Reports the end of the connection; returns true when it completes the response (a body
   * delimited by the close).
   *
   * @throws EOFException when the response is cut short
   */
  boolean endOfInput() throws EOFException {
    if (state == State.UNTIL_CLOSE || state == State.DONE) {
      state = State.DONE;
      return true;
    }
    throw new EOFException(state == State.LENGTH || state == State.CHUNK_DATA
        ? "connection closed in the body" : "connection closed by the server");
  }

  /** Returns whether a byte of the response arrived: then a failed request is not retried. */
  boolean answered() {
    return answered;
  }

  /** Returns the status of the complete response. */
  int status() {
    return head.status();
  }

  /** Returns whether the connection can carry the next request. */
  boolean keepAlive() {
    return head.keepAlive();
  }

  /** Returns the kept bytes of the body as text. */
  String body() {
    return keptLength == 0 ? "" : new String(kept, 0, keptLength, StandardCharsets.UTF_8);
  }

  private void keep(ByteBuffer in, int n) {
    int k = Math.min(n, keepBody - keptLength);
    if (k > 0) {
      if (keptLength + k > kept.length) {
        kept = java.util.Arrays.copyOf(kept, Math.min(keepBody, Math.max(kept.length * 2,
            keptLength + k)));
      }
      in.get(kept, keptLength, k);
      keptLength += k;
      n -= k;
    }
    in.position(in.position() + n);
  }

  /** Reads up to a line end; returns true when a whole line is in {@link #line}. */
  private boolean line(ByteBuffer in) throws IOException {
    while (in.hasRemaining()) {
      byte b = in.get();
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return true;
      }
      if (line.length() == MAX_LINE) {
        throw new IOException("response line longer than " + MAX_LINE + " bytes");
      }
      line.append((char) (b & 0xff)); // ISO-8859-1, as header fields are
    }
    return false;
  }

  private String takeLine() {
    String s = line.toString();
    line.setLength(0);
    return s;
  }

  private void lineDone(String text) throws IOException {
    switch (state) {
      case STATUS -> {
        statusLine = text;
        headers.clear();
        state = State.HEADERS;
      }
      case HEADERS -> {
        if (!text.isEmpty()) {
          if (headers.size() == MAX_HEADERS) {
            throw new IOException("more than " + MAX_HEADERS + " response headers");
          }
          headers.add(text);
          return;
        }
        head = HttpResponseHead.parse(statusLine, headers, method);
        if (head.status() / 100 == 1 && head.status() != 101) {
          state = State.STATUS; // interim answers (100 Continue) precede the real one
          return;
        }
        switch (head.framing()) {
          case NONE -> state = State.DONE;
          case LENGTH -> {
            left = head.length();
            state = left == 0 ? State.DONE : State.LENGTH;
          }
          case CHUNKED -> state = State.CHUNK_SIZE;
          case UNTIL_CLOSE -> state = State.UNTIL_CLOSE;
        }
      }
      case CHUNK_SIZE -> {
        left = chunkSize(text);
        state = left == 0 ? State.TRAILERS : State.CHUNK_DATA;
      }
      case CHUNK_END -> {
        if (!text.isEmpty()) {
          throw new IOException("bad chunk end");
        }
        state = State.CHUNK_SIZE;
      }
      case TRAILERS -> {
        if (text.isEmpty()) {
          state = State.DONE;
        }
      }
      default -> throw new IllegalStateException(state.toString());
    }
  }

  private static long chunkSize(String text) throws IOException {
    int ext = text.indexOf(';');
    try {
      long n = Long.parseLong((ext < 0 ? text : text.substring(0, ext)).trim(), 16);
      if (n < 0) {
        throw new IOException("bad chunk size");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("bad chunk size");
    }
  }
}
