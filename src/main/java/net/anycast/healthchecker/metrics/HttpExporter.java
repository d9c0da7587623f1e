package net.anycast.healthchecker.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * Serves the registry on {@code http://<prometheus_listen>/metrics} (new in this version). The
 * endpoint has no authentication: listen on loopback unless a firewall guards it.
 */
public final class HttpExporter implements AutoCloseable {
  private final HTTPServer server;

  private HttpExporter(HTTPServer server) {
    this.server = server;
  }

  /** Starts serving on {@code listen}; port 0 picks a free port (see {@link #port()}). */
  public static HttpExporter start(Metrics metrics, InetSocketAddress listen) throws IOException {
    HTTPServer.Builder builder = HTTPServer.builder()
        .port(listen.getPort())
        .registry(metrics.registry())
        .executorService(Executors.newVirtualThreadPerTaskExecutor());
    builder = listen.isUnresolved()
        ? builder.hostname(listen.getHostString())
        : builder.inetAddress(listen.getAddress());
    return new HttpExporter(builder.buildAndStart());
  }

  /** Returns the port it listens on. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
