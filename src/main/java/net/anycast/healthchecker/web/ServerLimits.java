package net.anycast.healthchecker.web;

import java.util.Map;

/**
 * The bounds of the JDK's HTTP server, which reads them from system properties once, when its
 * first server is created: {@link #apply()} must run before that (the daemon calls it before it
 * starts any listener, the metrics exporter's included). A property the operator set on the
 * command line ({@code -Dsun.net.httpserver.maxReqTime=…}) is left as it is.
 *
 * <ul>
 *   <li>at most {@value #MAX_CONNECTIONS} connections; more are closed at accept;
 *   <li>{@value #MAX_REQUEST_SECONDS} s to send a whole request (headers and body): a client that
 *       sends a byte a second is cut off;
 *   <li>{@value #MAX_RESPONSE_SECONDS} s to take a whole response: a client that stops reading is
 *       cut off (event streams end by themselves before that and reconnect);
 *   <li>headers of at most {@value #MAX_HEADER_BYTES} bytes and {@value #MAX_HEADERS} lines;
 *   <li>idle keep-alive connections closed after {@value #IDLE_SECONDS} s.
 * </ul>
 */
public final class ServerLimits {
  static final int MAX_CONNECTIONS = 256;
  static final int MAX_REQUEST_SECONDS = 10;
  static final int MAX_RESPONSE_SECONDS = 60;
  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_HEADERS = 64;
  static final int IDLE_SECONDS = 30;

  private ServerLimits() {}

  /** Sets the bounds (unless set already); call before the first HTTP server starts. */
  public static void apply() {
    Map.of(
        "jdk.httpserver.maxConnections", MAX_CONNECTIONS,
        "sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS,
        "sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS,
        "sun.net.httpserver.maxReqHeaderSize", MAX_HEADER_BYTES,
        "sun.net.httpserver.maxReqHeaders", MAX_HEADERS,
        "sun.net.httpserver.idleInterval", IDLE_SECONDS,
        "sun.net.httpserver.maxIdleConnections", 64)
        .forEach((key, value) -> {
          if (System.getProperty(key) == null) {
            System.setProperty(key, Integer.toString(value));
          }
        });
  }
}
