package net.anycast.healthchecker.config;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every {@code [daemon]} setting, and whether a running daemon can take a new value of it.
 *
 * <p>Runtime: how each family tells BIRD and what its file says ({@code bird*_variable},
 * {@code bird*_reconfigure_cmd}, {@code bird*_socket}, {@code dummy_ip*_prefix}, {@code
 * bird*_keep_changes}, {@code bird*_changes_counter}), {@code loglevel}, {@code splay_startup}
 * (for loops a reload starts), {@code on_shutdown} and {@code shutdown_grace}. Everything else is
 * bound to something opened at start-up — the pidfile, the families and their prefix files, the
 * log sinks, the metrics listener and textfile schedule, the spool watcher — or, like {@code
 * purge_ip_prefixes}, acts only at start-up; a new value of those is a {@link RestartNotice} and
 * the running value stays.
 */
final class DaemonSettings {
  /** One setting: its key, how to read it, and whether a reload can apply it. */
  record Setting(String key, Function<DaemonConfig, Object> value, boolean runtime) {}

  static final List<Setting> ALL = settings();

  private DaemonSettings() {}

  private static List<Setting> settings() {
    List<Setting> out = new ArrayList<>();
    out.add(restart("ipv4", d -> d.bird4() != null));
    out.add(restart("ipv6", d -> d.bird6() != null));
    family(out, "bird", "dummy_ip_prefix", DaemonConfig::bird4);
    family(out, "bird6", "dummy_ip6_prefix", DaemonConfig::bird6);
    out.add(restart("purge_ip_prefixes", DaemonConfig::purgeIpPrefixes));
    out.add(restart("pidfile", DaemonConfig::pidfile));
    out.add(new Setting("splay_startup", DaemonConfig::splayStartup, true));
    out.add(new Setting("loglevel", d -> d.log().level(), true));
    out.add(restart("log_file", d -> d.log().logFile()));
    out.add(restart("log_maxbytes", d -> d.log().logMaxBytes()));
    out.add(restart("log_backups", d -> d.log().logBackups()));
    out.add(restart("log_server", d -> d.log().logServer()));
    out.add(restart("log_server_port", d -> d.log().logServerPort()));
    out.add(restart("json_stdout", d -> d.log().jsonStdout()));
    out.add(restart("json_log_file", d -> d.log().jsonLogFile()));
    out.add(restart("json_log_server", d -> d.log().jsonLogServer()));
    out.add(restart("log_format_journalctl", d -> d.log().formatJournalctl()));
    out.add(restart("stderr_file", d -> d.log().stderrFile()));
    out.add(restart("stderr_log_server", d -> d.log().stderrLogServer()));
    out.add(restart("prometheus_exporter", d -> d.prometheus().textfileExporter()));
    out.add(restart("prometheus_collector_textfile_dir", d -> d.prometheus().textfileDir()));
    out.add(restart("prometheus_exporter_interval", d -> d.prometheus().interval()));
    out.add(restart("prometheus_listen", d -> d.prometheus().listen()));
    out.add(restart("spool_dir", DaemonConfig::spoolDir));
    out.add(restart("http_listen", d -> d.http().listen()));
    // A new token (the same file with new content too) and the hacheck switch apply at once.
    out.add(runtime("http_token_file", d -> d.http().bearerToken().orElse(null)));
    out.add(runtime("allow_remote_spool_changes", d -> d.http().allowRemoteSpoolChanges()));
    // How checks are started is decided once, when the check loops start.
    out.add(restart("check_env_passthrough", d -> d.checks().passEnv()));
    out.add(restart("check_user", d -> d.checks().checkUser()));
    // The valve holds a lease and keys in etcd under these; a new value needs a restart.
    out.add(restart("fleet_etcd_endpoints", d -> d.fleet().endpoints()));
    out.add(restart("fleet_node_name", d -> d.fleet().nodeName()));
    out.add(restart("fleet_key_prefix", d -> d.fleet().keyPrefix()));
    out.add(restart("fleet_lease_ttl", d -> d.fleet().leaseTtl()));
    out.add(restart("fleet_min_announcers", d -> d.fleet().minAnnouncers()));
    out.add(restart("fleet_etcd_ca_file", d -> d.fleet().caFile()));
    out.add(restart("fleet_etcd_cert_file", d -> d.fleet().certFile()));
    out.add(restart("fleet_etcd_key_file", d -> d.fleet().keyFile()));
    out.add(restart("fleet_etcd_user", d -> d.fleet().user()));
    out.add(restart("fleet_etcd_password_file", d -> d.fleet().password()));
    out.add(new Setting("on_shutdown", d -> d.shutdown().policy(), true));
    out.add(new Setting("shutdown_grace", d -> d.shutdown().grace(), true));
    return List.copyOf(out);
  }

  private static Setting restart(String key, Function<DaemonConfig, Object> value) {
    return new Setting(key, value, false);
  }

  private static Setting runtime(String key, Function<DaemonConfig, Object> value) {
    return new Setting(key, value, true);
  }

  /** Adds the settings of one family; each reads as null while the family is switched off. */
  private static void family(List<Setting> out, String p, String dummyKey,
      Function<DaemonConfig, BirdFamilyConfig> family) {
    out.add(restart(p + "_conf", of(family, BirdFamilyConfig::conf)));
    out.add(runtime(p + "_variable", of(family, BirdFamilyConfig::variable)));
    out.add(runtime(p + "_reconfigure_cmd", of(family, BirdFamilyConfig::reconfigureCmd)));
    out.add(runtime(p + "_socket", of(family, BirdFamilyConfig::socket)));
    out.add(runtime(dummyKey, of(family, BirdFamilyConfig::dummyPrefix)));
    out.add(runtime(p + "_keep_changes", of(family, BirdFamilyConfig::keepChanges)));
    out.add(runtime(p + "_changes_counter", of(family, BirdFamilyConfig::changesCounter)));
  }

  private static Function<DaemonConfig, Object> of(Function<DaemonConfig, BirdFamilyConfig> family,
      Function<BirdFamilyConfig, Object> value) {
    return d -> {
      BirdFamilyConfig f = family.apply(d);
      return f == null ? null : value.apply(f);
    };
  }

  /**
   * Returns a setting's value as an operator would write it ({@code 10}, {@code 0.5},
   * {@code withdraw}, {@code 127.0.0.1:9150}), or null when unset.
   */
  static String text(Object value) {
    return switch (value) {
      case null -> null;
      case Duration d -> BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
      case Enum<?> e -> e.name().toLowerCase(Locale.ROOT);
      case InetSocketAddress a -> a.getHostString() + ":" + a.getPort();
      default -> value.toString();
    };
  }

  /** Returns a running family with {@code next}'s settings but its prefix file. */
  private static BirdFamilyConfig family(BirdFamilyConfig running, BirdFamilyConfig next) {
    if (running == null || next == null) {
      return running;
    }
    return new BirdFamilyConfig(running.family(), running.conf(), next.variable(),
        next.reconfigureCmd(), next.dummyPrefix(), next.keepChanges(), next.changesCounter(),
        next.socket());
  }

  /** Returns the settings whose values differ between the two. */
  static List<Setting> changed(DaemonConfig running, DaemonConfig next) {
    return ALL.stream()
        .filter(s -> !Objects.equals(s.value().apply(running), s.value().apply(next))).toList();
  }

  /**
   * Returns the daemon settings after a reload: {@code next}'s runtime settings, {@code
   * running}'s for everything else (the log column width included: the text format is built
   * once). A family keeps running or not as it does now, with its prefix file.
   */
  static DaemonConfig applied(DaemonConfig running, DaemonConfig next) {
    LogConfig r = running.log();
    LogConfig log = new LogConfig(next.log().level(), r.logFile(), r.logMaxBytes(),
        r.logBackups(), r.logServer(), r.logServerPort(), r.jsonStdout(), r.jsonLogFile(),
        r.jsonLogServer(), r.formatJournalctl(), r.stderrFile(), r.stderrLogServer(),
        r.serviceNameWidth());
    return new DaemonConfig(family(running.bird4(), next.bird4()),
        family(running.bird6(), next.bird6()), running.purgeIpPrefixes(),
        running.pidfile(), next.splayStartup(), log, running.prometheus(), running.spoolDir(),
        next.shutdown(), new HttpConfig(running.http().listen(), next.http().tokenFile(),
            next.http().token(), next.http().allowRemoteSpoolChanges()), running.checks(),
        running.fleet());
  }
}
