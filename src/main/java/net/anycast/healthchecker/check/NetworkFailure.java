package net.anycast.healthchecker.check;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** The short reason of a failed network step, in words an operator greps for. */
final class NetworkFailure {
  private NetworkFailure() {}

  /** Returns the reason for {@code e} (the deepest meaningful cause). */
  static String reason(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException && c.getMessage() != null
          && c.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused")) {
        return "connect refused";
      }
    }
    Throwable t = e;
    for (int i = 0; i < 8 && t.getCause() != null && !(t instanceof SSLHandshakeException)
        && !(t instanceof ConnectException); i++) {
      t = t.getCause();
    }
    return switch (t) {
      // The JDK's HTTP client reports every failed connect as a bare ConnectException: refused,
      // unreachable and reset look the same from there.
      case ConnectException c when c.getMessage() == null -> "connect failed";
      case ConnectException c -> "connect failed: " + message(c);
      case NoRouteToHostException n -> "no route to host";
      case PortUnreachableException p -> "port unreachable";
      case UnknownHostException u -> "unknown host " + message(u);
      case SSLHandshakeException h -> "TLS handshake failed: " + tlsReason(h);
      case SSLException s -> "TLS failed: " + message(s);
      case EOFException eof -> "connection closed by the server";
      case SocketException s -> message(s);
      default -> message(t);
    };
  }

  private static String tlsReason(SSLHandshakeException h) {
    for (Throwable t = h; t != null; t = t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (m.contains("No subject alternative") || m.contains("No name matching")) {
        return "certificate does not match the name (" + m + ")";
      }
      if (t instanceof CertificateException && m.contains("PKIX")) {
        return "certificate not trusted";
      }
    }
    String m = message(h);
    return m.contains("PKIX") ? "certificate not trusted" : m;
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
