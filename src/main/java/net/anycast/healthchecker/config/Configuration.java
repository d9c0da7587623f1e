package net.anycast.healthchecker.config;

import java.util.List;
import java.util.Objects;

/** A loaded and validated configuration: the daemon settings and every service check. */
public record Configuration(DaemonConfig daemon, List<ServiceConfig> services) {
  public Configuration {
    Objects.requireNonNull(daemon, "daemon");
    services = List.copyOf(services);
  }
}
