package net.anycast.healthchecker.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in defaults of anycast-healthchecker 0.9.10, in its order, as INI strings.
 *
 * <p>They are read into the configuration before any file, exactly like the original's
 * {@code read_dict(DEFAULT_OPTIONS)}, so {@code -P} lists them in the same places.
 */
public final class Defaults {
  private Defaults() {}

  /** Returns the {@code [DEFAULT]} and {@code [daemon]} defaults, in the original's order. */
  public static Map<String, Map<String, String>> sections() {
    Map<String, String> shared = new LinkedHashMap<>();
    shared.put("interface", "lo");
    shared.put("check_interval", "10");
    shared.put("check_timeout", "2");
    shared.put("check_rise", "2");
    shared.put("check_fail", "2");
    shared.put("check_disabled", "true");
    shared.put("on_disabled", "withdraw");
    shared.put("ip_check_disabled", "false");
    shared.put("custom_bird_reconfigure_cmd_timeout", "2");

    Map<String, String> daemon = new LinkedHashMap<>();
    daemon.put("ipv4", "true");
    daemon.put("ipv6", "false");
    daemon.put("bird_conf", "/var/lib/anycast-healthchecker/anycast-prefixes.conf");
    daemon.put("bird6_conf", "/var/lib/anycast-healthchecker/6/anycast-prefixes.conf");
    daemon.put("bird_variable", "ACAST_PS_ADVERTISE");
    daemon.put("bird6_variable", "ACAST6_PS_ADVERTISE");
    daemon.put("bird_reconfigure_cmd", "sudo /usr/sbin/birdc configure");
    daemon.put("bird6_reconfigure_cmd", "sudo /usr/sbin/birdc6 configure");
    daemon.put("dummy_ip_prefix", "10.189.200.255/32");
    daemon.put("dummy_ip6_prefix", "2001:db8::1/128");
    daemon.put("bird_keep_changes", "false");
    daemon.put("bird6_keep_changes", "false");
    daemon.put("bird_changes_counter", "128");
    daemon.put("bird6_changes_counter", "128");
    daemon.put("purge_ip_prefixes", "false");
    daemon.put("pidfile", "/var/run/anycast-healthchecker/anycast-healthchecker.pid");
    daemon.put("loglevel", "debug");
    daemon.put("log_server_port", "514");
    daemon.put("json_stdout", "false");
    daemon.put("json_log_file", "false");
    daemon.put("json_log_server", "false");
    daemon.put("log_maxbytes", "104857600");
    daemon.put("log_backups", "8");
    daemon.put("log_format_journalctl", "false");
    daemon.put("prometheus_exporter", "false");
    daemon.put("prometheus_collector_textfile_dir", "/var/cache/textfile_collector/");
    daemon.put("prometheus_exporter_interval", "10");

    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    all.put("DEFAULT", shared);
    all.put("daemon", daemon);
    return all;
  }

  /** Returns {@code -p} output: each section, {@code key = value} lines, a blank line after. */
  public static String render() {
    StringBuilder out = new StringBuilder();
    sections()
        .forEach(
            (section, keys) -> {
              out.append('[').append(section).append("]\n");
              keys.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
              out.append('\n');
            });
    return out.toString();
  }
}
