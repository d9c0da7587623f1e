package net.anycast.healthchecker.web;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What one of hacheck's proxy endpoints asks to probe: {@code /http/<service>/<port>/<path>},
 * {@code /https/…} or {@code /tcp/<service>/<port>/…}. Pure. The host is always 127.0.0.1:
 * the endpoints check services on this node, and nothing in a request can point a probe
 * elsewhere (the path is re-encoded segment by segment under a fixed authority).
 *
 * @param url for HTTP(S), {@code http(s)://127.0.0.1:<port>/<path>[?query]}; null for TCP
 */
record ProxyTarget(Kind kind, String service, int port, URI url) {
  /** The longest query string passed on. */
  static final int MAX_QUERY = 2048;

  /** The three proxy kinds, named as the first path segment. */
  enum Kind {
    HTTP, HTTPS, TCP;

    /** Returns the kind the first path segment names, or null for another endpoint. */
    static Kind of(String segment) {
      return switch (segment) {
        case "http" -> HTTP;
        case "https" -> HTTPS;
        case "tcp" -> TCP;
        default -> null;
      };
    }

    String segment() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Returns the target of {@code rest} (the path after the kind's segment) and the raw query.
   *
   * @throws HttpError 404 without a service and port, 400 for a bad port or query
   */
  static ProxyTarget of(Kind kind, RequestPath rest, String rawQuery) throws HttpError {
    if (rest.size() < 2) {
      throw HttpError.notFound("expected /" + kind.segment() + "/<service>/<port>/<path>");
    }
    String service = rest.get(0);
    int port = port(rest.get(1));
    if (kind == Kind.TCP) {
      return new ProxyTarget(kind, service, port, null);
    }
    StringBuilder path = new StringBuilder();
    List<String> tail = rest.segments().subList(2, rest.size());
    for (String seg : tail) {
      path.append('/').append(encode(seg));
    }
    if (tail.isEmpty() || rest.trailingSlash()) {
      path.append('/');
    }
    if (rawQuery != null) {
      if (rawQuery.length() > MAX_QUERY) {
        throw HttpError.badRequest("query longer than " + MAX_QUERY + " characters");
      }
      path.append('?').append(rawQuery);
    }
    URI url;
    try {
      url = URI.create(kind.segment() + "://127.0.0.1:" + port + path);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("the query is not a valid URI query");
    }
    // Belt and braces: whatever the query held, the authority is the one written above.
    if (!"127.0.0.1".equals(url.getHost()) || url.getPort() != port
        || url.getRawUserInfo() != null || url.getRawFragment() != null) {
      throw HttpError.badRequest("the query is not a valid URI query");
    }
    return new ProxyTarget(kind, service, port, url);
  }

  /** Returns the loopback address of the port. */
  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** Returns what the cache keys on: the same probe for every service name. */
  String key() {
    return kind == Kind.TCP ? "tcp://127.0.0.1:" + port : url.toString();
  }

  private static int port(String text) throws HttpError {
    try {
      int p = Integer.parseInt(text);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw HttpError.badRequest("port must be a number from 1 to 65535");
  }

  /** RFC 3986 pchar: unreserved and sub-delims, ':' and '@' kept; every other byte %XX. */
  private static String encode(String segment) {
    StringBuilder sb = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }
}
