package net.anycast.healthchecker.config;

import java.net.InetSocketAddress;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * {@code address:port} with a literal IP address ({@code 127.0.0.1:53}, {@code [::1]:53}).
 * Names are refused: resolving one would make every run depend on the resolver too.
 */
final class HostPort {
  private HostPort() {}

  /**
   * Returns the socket address of {@code text}; {@code defaultPort} when no port is written
   * (-1: the port is required).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static InetSocketAddress parse(String text, int defaultPort) {
    String t = text.strip();
    String host;
    String port = null;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'[' without ']'");
      }
      host = t.substring(1, close);
      String rest = t.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':' and a port after ']'");
        }
        port = rest.substring(1);
      }
    } else if (t.indexOf(':') != t.lastIndexOf(':')) {
      throw new IllegalArgumentException("write an IPv6 address in brackets, as [::1]:53");
    } else {
      int colon = t.indexOf(':');
      host = colon < 0 ? t : t.substring(0, colon);
      port = colon < 0 ? null : t.substring(colon + 1);
    }
    if (host.contains("/") || !IpPrefix.isValid(host)) {
      throw new IllegalArgumentException("'" + host + "' is not an IP address (names are not"
          + " resolved)");
    }
    int p;
    if (port == null) {
      if (defaultPort < 0) {
        throw new IllegalArgumentException("the port is missing");
      }
      p = defaultPort;
    } else {
      p = port(port);
    }
    return new InetSocketAddress(IpPrefix.parse(host).inetAddress(), p);
  }

  private static int port(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("'" + text + "' is not a port");
    }
    int p = Integer.parseInt(text);
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("port " + p + " is outside 1-65535");
    }
    return p;
  }

  /** Returns {@code address:port}, brackets around IPv6. */
  static String text(InetSocketAddress a) {
    String host = IpPrefix.parse(a.getAddress().getHostAddress()).addressText();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
