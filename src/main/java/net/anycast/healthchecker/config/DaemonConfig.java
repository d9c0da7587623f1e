package net.anycast.healthchecker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code [daemon]} section.
 *
 * @param bird4 the IPv4 BIRD settings, or null when {@code ipv4 = false}
 * @param bird6 the IPv6 BIRD settings, or null when {@code ipv6 = false}
 * @param splayStartup {@code splay_startup}; zero when unset
 * @param spoolDir {@code spool_dir}: the directory of drain files (hacheck's format)
 * @param shutdown {@code on_shutdown} and {@code shutdown_grace}
 * @param http {@code http_listen}, {@code http_token_file}, {@code allow_remote_spool_changes}
 * @param checks {@code check_env_passthrough} and {@code check_user}
 * @param fleet the fleet valve's {@code fleet_*} settings; {@link FleetConfig#OFF} when unset
 */
public record DaemonConfig(
    BirdFamilyConfig bird4,
    BirdFamilyConfig bird6,
    boolean purgeIpPrefixes,
    Path pidfile,
    Duration splayStartup,
    LogConfig log,
    PrometheusConfig prometheus,
    Path spoolDir,
    ShutdownConfig shutdown,
    HttpConfig http,
    ChecksConfig checks,
    FleetConfig fleet) {

  public DaemonConfig {
    Objects.requireNonNull(pidfile, "pidfile");
    Objects.requireNonNull(splayStartup, "splayStartup");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(prometheus, "prometheus");
    Objects.requireNonNull(spoolDir, "spoolDir");
    Objects.requireNonNull(shutdown, "shutdown");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(checks, "checks");
    Objects.requireNonNull(fleet, "fleet");
  }

  /** Where {@code spool_dir} points when it is not set (ours; hacheck's is /var/spool/hacheck). */
  public static final Path DEFAULT_SPOOL_DIR = Path.of("/var/spool/anycast-healthchecker");

  /** Returns the BIRD settings of every enabled family, IPv4 first. */
  public List<BirdFamilyConfig> birdFamilies() {
    List<BirdFamilyConfig> out = new ArrayList<>(2);
    if (bird4 != null) {
      out.add(bird4);
    }
    if (bird6 != null) {
      out.add(bird6);
    }
    return List.copyOf(out);
  }
}
