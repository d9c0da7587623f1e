package net.anycast.healthchecker.check;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import net.anycast.healthchecker.config.CheckSpec;

/**
 * The bytes of an HTTP check's request, made once per check: {@code METHOD path HTTP/1.1}, a
 * {@code Host} header (the URL's authority unless one is configured), the configured headers, a
 * {@code User-Agent} unless configured, and {@code Content-Length: 0} for methods that carry a
 * body (none is sent). A request the JDK's client would have refused is not made at all: its
 * problem is the check's failure, as before.
 */
final class HttpRequestBytes {
  /** Headers the connection manages itself (the JDK's client refused them too). */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "upgrade");
  private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

  private final byte[] bytes;
  private final String problem; // null when the request can be sent

  private HttpRequestBytes(byte[] bytes, String problem) {
    this.bytes = bytes;
    this.problem = problem;
  }

  /** Returns the request of {@code spec}. */
  static HttpRequestBytes of(CheckSpec.Http spec) {
    URI url = spec.url();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    StringBuilder r = new StringBuilder(128).append(spec.method()).append(' ').append(path)
        .append(" HTTP/1.1\r\n");
    boolean host = false;
    boolean agent = false;
    for (CheckSpec.Header h : spec.headers()) {
      String name = h.name().toLowerCase(Locale.ROOT);
      if (RESTRICTED.contains(name)) {
        return new HttpRequestBytes(new byte[0], "restricted header name: \"" + h.name() + "\"");
      }
      if (!token(h.name()) || !fieldValue(h.value())) {
        return new HttpRequestBytes(new byte[0], "invalid header: " + h.name());
      }
      host |= name.equals("host");
      agent |= name.equals("user-agent");
    }
    if (!host) {
      r.append("Host: ").append(authority(url)).append("\r\n");
    }
    for (CheckSpec.Header h : spec.headers()) {
      r.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    if (!agent) {
      r.append("User-Agent: anycast-healthchecker\r\n");
    }
    if (WITH_BODY.contains(spec.method())) {
      r.append("Content-Length: 0\r\n");
    }
    return new HttpRequestBytes(r.append("\r\n").toString().getBytes(StandardCharsets.UTF_8),
        null);
  }

  /** Returns the request to write. */
  byte[] bytes() {
    return bytes;
  }

  /** Returns why the request cannot be sent, if it cannot. */
  Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /** Returns the URL's host, with its port unless it is the scheme's default. */
  static String authority(URI url) {
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort();
    return port == -1 || port == (https ? 443 : 80) ? url.getHost() : url.getHost() + ":" + port;
  }

  private static boolean token(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean fieldValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return false;
      }
    }
    return true;
  }
}
