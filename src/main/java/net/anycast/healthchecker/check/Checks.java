package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import net.anycast.healthchecker.config.CheckSpec;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.process.ProcessRunner;
import net.anycast.healthchecker.reactor.Reactor;
import net.anycast.healthchecker.reactor.Reactors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the checks of a service from its configuration, sharing what checks can share: the
 * process runner of exec checks, the reactors of plain TCP and HTTP checks, and the HTTP clients
 * of the other HTTP checks. Closing it closes the
 * clients and their kept-alive connections.
 */
public final class Checks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checks.class);
  private final ProcessRunner runner;
  private final HttpClients http;
  private final Reactors reactors;
  private final Map<Reactor, HttpIdleConnections> idle = new HashMap<>();
  private final LongSupplier nanoTime;

  /**
   * Returns the maker of checks that run commands with {@code runner} and plain TCP connects and
   * plain-HTTP requests on {@code reactors} (the service's reactor, see {@link Reactors#of}).
   */
  public Checks(ProcessRunner runner, Reactors reactors, LongSupplier nanoTime) {
    this.runner = runner;
    this.http = new HttpClients();
    this.reactors = reactors;
    this.nanoTime = nanoTime;
    reactors.all().forEach(r -> idle.put(r, new HttpIdleConnections(r)));
  }

  /** Returns the checks of {@code service}, combined by its {@code check_mode}. */
  public CheckGroup group(ServiceConfig service) {
    Reactor reactor = reactors.of(service.name());
    return new CheckGroup(service.checks().specs().stream()
        .map(spec -> new CheckGroup.Member(spec.kind(), check(spec, reactor))).toList(),
        service.checks().mode());
  }

  /**
   * Returns the check of one spec: on {@code reactor} when the spec can run there (a plain TCP
   * connect, a plain-HTTP request to an address), else on a thread of its own (TLS, send and
   * expect, redirects, host names to resolve: each blocks somewhere).
   */
  private Check check(CheckSpec spec, Reactor reactor) {
    return switch (spec) {
      case CheckSpec.Exec e -> new ExecCheck(e.command(), runner, reactor);
      case CheckSpec.Http h when PlainHttpCheck.serves(h) -> new PlainHttpCheck(h, reactor,
          idle.get(reactor));
      case CheckSpec.Http h -> new HttpCheck(h, http, nanoTime);
      case CheckSpec.Tcp t when TcpConnectCheck.serves(t) -> new TcpConnectCheck(t, reactor);
      case CheckSpec.Tcp t -> new TcpCheck(t, nanoTime);
      case CheckSpec.Dns d -> new DnsCheck(d, nanoTime);
    };
  }

  /** Kills the commands still running (waiting up to 10 s for them) and closes the clients. */
  @Override
  public void close() {
    int left = runner.stopAll(Duration.ofSeconds(10));
    if (left > 0) {
      LOG.warn("{} check commands still running 10s after they were killed", left);
    }
    http.close();
  }
}
