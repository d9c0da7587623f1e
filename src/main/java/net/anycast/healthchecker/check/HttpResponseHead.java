package net.anycast.healthchecker.check;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The status line and headers of one HTTP/1.x response, and what they decide: how the body is
 * delimited and whether the connection can carry the next request. Pure: parsed from lines
 * already read, so every framing rule is tested without a socket.
 *
 * @param status the status code
 * @param framing how the body ends
 * @param length the body's length for {@link Framing#LENGTH}
 * @param keepAlive whether the connection stays usable once the body was read
 */
record HttpResponseHead(int status, Framing framing, long length, boolean keepAlive) {
  /** How a response body is delimited (RFC 9112, section 6.3). */
  enum Framing { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

  /**
   * Returns the head made of {@code statusLine} and {@code headers} (without line ends), for a
   * request of {@code method}.
   *
   * @throws IOException when the status line or a framing header is malformed
   */
  static HttpResponseHead parse(String statusLine, List<String> headers, String method)
      throws IOException {
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12
        || statusLine.charAt(8) != ' ') {
      throw new IOException("not an HTTP/1.x response: " + abbreviated(statusLine));
    }
    boolean http11 = statusLine.charAt(7) != '0';
    int status;
    try {
      status = Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("bad status line: " + abbreviated(statusLine));
    }
    long length = -1;
    boolean chunked = false;
    boolean close = !http11;
    for (String h : headers) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "content-length" -> length = contentLength(value, length);
        case "transfer-encoding" -> chunked = value.endsWith("chunked");
        case "connection" -> {
          if (value.contains("close")) {
            close = true;
          } else if (value.contains("keep-alive")) {
            close = false;
          }
        }
        default -> { }
      }
    }
    if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
      return new HttpResponseHead(status, Framing.NONE, 0, !close);
    }
    if (chunked) {
      return new HttpResponseHead(status, Framing.CHUNKED, -1, !close);
    }
    if (length >= 0) {
      return new HttpResponseHead(status, Framing.LENGTH, length, !close);
    }
    return new HttpResponseHead(status, Framing.UNTIL_CLOSE, -1, false);
  }

  private static long contentLength(String value, long earlier) throws IOException {
    try {
      long n = Long.parseLong(value);
      if (n < 0 || (earlier >= 0 && earlier != n)) {
        throw new IOException("bad Content-Length: " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length: " + abbreviated(value));
    }
  }

  private static String abbreviated(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
