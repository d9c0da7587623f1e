package net.anycast.healthchecker.web;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.config.HttpConfig;
import net.anycast.healthchecker.override.SpoolDirectory;

/**
 * The HTTP listener of {@code http_listen}: the JSON API, the status page, the event stream,
 * hacheck's endpoints and (when given a registry) {@code /metrics}.
 *
 * <p>The JDK's server, each exchange on a virtual thread, within {@link ServerLimits}. No
 * library: the JDK's server does what the API needs, and a framework would bring more code than
 * the API has.
 */
public final class WebServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final ChangeFeed feed;
  private final ProxyChecks probes;

  /**
   * Where the listener reads from.
   *
   * @param snapshot the status, gathered at call time
   * @param inputs the reconcilers' inputs alone: what a drain lookup or a name check needs,
   *     without gathering every loop's status for it
   * @param spool where drains are written (the daemon's {@code spool_dir})
   * @param metrics the registry to serve on {@code /metrics}; null to leave it out
   * @param reload what {@code POST /api/v1/reload} runs; null: the endpoint answers 404
   */
  public record Sources(Supplier<ApiSnapshot> snapshot, Supplier<Inputs> inputs,
      SpoolDirectory spool, PrometheusRegistry metrics, InstantSource clock,
      ReloadAction reload) {
    public Sources {
      Objects.requireNonNull(snapshot, "snapshot");
      Objects.requireNonNull(inputs, "inputs");
      Objects.requireNonNull(spool, "spool");
      Objects.requireNonNull(clock, "clock");
    }

    /** Sources without a reload. */
    public Sources(Supplier<ApiSnapshot> snapshot, Supplier<Inputs> inputs,
        SpoolDirectory spool, PrometheusRegistry metrics, InstantSource clock) {
      this(snapshot, inputs, spool, metrics, clock, null);
    }
  }

  private WebServer(HttpServer server, ExecutorService executor, ChangeFeed feed,
      ProxyChecks probes) {
    this.probes = probes;
    this.server = server;
    this.executor = executor;
    this.feed = feed;
  }

  /** Starts listening on {@code listen} with settings that never change. */
  public static WebServer start(InetSocketAddress listen, HttpConfig config, Sources sources)
      throws IOException {
    return start(listen, () -> config, sources);
  }

  /**
   * Starts listening on {@code listen} (port 0: any free port, see {@link #port()}).
   *
   * @param config the settings in force, read on every write: a reload may change the token
   *     and {@code allow_remote_spool_changes} (the address needs a restart)
   */
  public static WebServer start(InetSocketAddress listen, Supplier<HttpConfig> config,
      Sources sources) throws IOException {
    ServerLimits.apply();
    InetSocketAddress bind = listen.isUnresolved()
        ? new InetSocketAddress(InetAddress.getByName(listen.getHostString()), listen.getPort())
        : listen;
    long firstEventId = sources.clock().instant().toEpochMilli() * 1000;
    EventHub hub = new EventHub(firstEventId);
    ChangeFeed feed = new ChangeFeed(sources.snapshot(), hub);
    WriteAccess access = new WriteAccess(() -> config.get().bearerToken());
    ProxyChecks probes = new ProxyChecks(System::nanoTime);
    HttpHandler metrics = sources.metrics() == null ? null : new MetricsHandler(sources.metrics());
    Router router = new Router(
        new ApiEndpoints(sources.snapshot(), sources.inputs(), sources.spool(), access,
            sources.clock(), sources.reload()),
        new EventStream(hub),
        new HacheckEndpoints(() -> sources.inputs().get().drains(), sources.spool(),
            access, () -> config.get().allowRemoteSpoolChanges(), sources.clock(), probes),
        new StaticPage(), metrics);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    HttpServer server = HttpServer.create(bind, 64);
    server.createContext("/", router);
    server.setExecutor(executor);
    server.start();
    return new WebServer(server, executor, feed, probes);
  }

  /** Tells the listener that the inputs or a reconciler changed (cheap; any thread). */
  public void changed() {
    feed.wake();
  }

  /** Returns the port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    feed.close();
    server.stop(0);
    executor.shutdownNow();
    probes.close();
  }
}
