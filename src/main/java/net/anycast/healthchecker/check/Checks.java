package net.anycast.healthchecker.check;

import java.util.function.LongSupplier;
import net.anycast.healthchecker.config.CheckSpec;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.process.ProcessRunner;

/**
 * Makes the checks of a service from its configuration, sharing what checks can share: the
 * process runner of exec checks and the HTTP clients of HTTP checks. Closing it closes the
 * clients and their kept-alive connections.
 */
public final class Checks implements AutoCloseable {
  private final ProcessRunner runner;
  private final HttpClients http;
  private final LongSupplier nanoTime;

  /** Returns the maker of checks that run commands with {@code runner}. */
  public Checks(ProcessRunner runner, LongSupplier nanoTime) {
    this.runner = runner;
    this.http = new HttpClients();
    this.nanoTime = nanoTime;
  }

  /** Returns the checks of {@code service}, combined by its {@code check_mode}. */
  public CheckGroup group(ServiceConfig service) {
    return new CheckGroup(service.checks().specs().stream()
        .map(spec -> new CheckGroup.Member(spec.kind(), check(spec))).toList(),
        service.checks().mode());
  }

  /** Returns the check of one spec. */
  public Check check(CheckSpec spec) {
    return switch (spec) {
      case CheckSpec.Exec e -> new ExecCheck(e.command(), runner);
      case CheckSpec.Http h -> new HttpCheck(h, http, nanoTime);
      case CheckSpec.Tcp t -> new TcpCheck(t, nanoTime);
      case CheckSpec.Dns d -> new DnsCheck(d, nanoTime);
    };
  }

  @Override
  public void close() {
    http.close();
  }
}
