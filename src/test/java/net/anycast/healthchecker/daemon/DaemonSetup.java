package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.net.IpFamily;

/**
 * An original-style configuration for a daemon process against a {@link BgpTestbed}: the
 * {@code [daemon]} section, {@code [DEFAULT]} check settings, and one file of services under
 * {@code dir/services}. By default a service is healthy until its flag file {@link #flag} exists,
 * checks run every 0.3 s with rise and fall 1, metrics are served on loopback (of the node's
 * network namespace, where the daemon runs), and drain files are read from {@code dir/spool}.
 */
final class DaemonSetup {
  static final int METRICS_PORT = 9150;

  private final Path dir;
  private final Map<String, String> defaults = new LinkedHashMap<>();
  private final Map<String, String> daemon = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> services = new LinkedHashMap<>();

  private DaemonSetup(Path dir) {
    this.dir = dir;
  }

  /**
   * Returns a setup for the node of {@code t}, files under {@code dir}: IPv4 (and IPv6 when
   * {@code ipv6}), told through BIRD's control socket when {@code socket}, else through
   * {@code birdc} commands.
   */
  static DaemonSetup of(BgpTestbed t, Path dir, boolean ipv6, boolean socket) throws IOException {
    DaemonSetup s = new DaemonSetup(Files.createDirectories(dir));
    s.defaults.putAll(Map.of("check_disabled", "false", "check_interval", "0.3",
        "check_timeout", "10", "check_rise", "1", "check_fail", "1", "ip_check_disabled", "true"));
    s.daemon.put("ipv4", "true");
    s.daemon.put("ipv6", Boolean.toString(ipv6));
    for (IpFamily f : ipv6 ? List.of(IpFamily.IPV4, IpFamily.IPV6) : List.of(IpFamily.IPV4)) {
      String b = f == IpFamily.IPV4 ? "bird_" : "bird6_";
      s.daemon.put(b + "conf", t.prefixFile(f).toString());
      s.daemon.put(b + "variable", f == IpFamily.IPV4 ? BgpTestbed.VAR4 : BgpTestbed.VAR6);
      s.daemon.put(b + "reconfigure_cmd", t.reconfigureCommand(f));
      if (socket) {
        s.daemon.put(b + "socket", t.nodeSocket(f).toString());
      }
    }
    s.daemon.put("dummy_ip_prefix", BgpTestbed.DUMMY4.toString());
    s.daemon.put("dummy_ip6_prefix", BgpTestbed.DUMMY6.toString());
    s.daemon.put("pidfile", dir.resolve("run/anycast-healthchecker.pid").toString());
    s.daemon.put("loglevel", "info");
    s.daemon.put("prometheus_listen", "127.0.0.1:" + METRICS_PORT);
    // Never the default /var/spool/anycast-healthchecker: a drain left there by anything else
    // would withdraw the test's routes.
    s.daemon.put("spool_dir", dir.resolve("spool").toString());
    return s;
  }

  /** Adds a service that is healthy while its {@link #flag} is absent. */
  DaemonSetup service(String name, String... prefixes) {
    return checkedBy(name, "/bin/sh -c 'test ! -e " + flag(name) + "'", prefixes);
  }

  /** Adds a service checked by {@code checkCmd}. */
  DaemonSetup checkedBy(String name, String checkCmd, String... prefixes) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("check_cmd", checkCmd);
    keys.put("ip_prefix", String.join(", ", prefixes));
    services.put(name, keys);
    return this;
  }

  /** Sets a key of one service's section (after the daemon started: a reload reads it). */
  DaemonSetup set(String service, String key, String value) {
    services.get(service).put(key, value);
    return this;
  }

  /** Removes a service's section. */
  DaemonSetup remove(String service) {
    services.remove(service);
    return this;
  }

  /** Adds a service with the given keys (built-in checks, check_mode) and prefixes. */
  DaemonSetup withKeys(String name, Map<String, String> keys, String... prefixes) {
    Map<String, String> all = new LinkedHashMap<>(keys);
    all.put("ip_prefix", String.join(", ", prefixes));
    services.put(name, all);
    return this;
  }

  /** Sets a {@code [DEFAULT]} key (check settings of every service). */
  DaemonSetup check(String key, String value) {
    defaults.put(key, value);
    return this;
  }

  /** Sets a {@code [daemon]} key. */
  DaemonSetup daemon(String key, String value) {
    daemon.put(key, value);
    return this;
  }

  /** Returns the file whose existence fails the default check of service {@code name}. */
  Path flag(String name) {
    return dir.resolve("down-" + name);
  }

  /** Makes the default check of {@code name} fail from its next run on. */
  void fail(String name) throws IOException {
    Files.writeString(flag(name), "");
  }

  /** Makes the default check of {@code name} pass from its next run on. */
  void recover(String name) throws IOException {
    Files.deleteIfExists(flag(name));
  }

  Path dir() {
    return dir;
  }

  Path spoolDir() {
    return Path.of(daemon.get("spool_dir"));
  }

  Path pidfile() {
    return Path.of(daemon.get("pidfile"));
  }

  Path configFile() {
    return dir.resolve("anycast-healthchecker.conf");
  }

  Path serviceDir() {
    return dir.resolve("services");
  }

  /** Writes the configuration (again: a later start reads the settings as they are then). */
  void write() throws IOException {
    StringBuilder main = new StringBuilder();
    section(main, "DEFAULT", defaults);
    section(main, "daemon", daemon);
    Files.writeString(configFile(), main);
    Files.createDirectories(pidfile().getParent());
    Files.createDirectories(spoolDir());
    StringBuilder svc = new StringBuilder();
    services.forEach((name, keys) -> section(svc, name, keys));
    Files.createDirectories(serviceDir());
    Files.writeString(serviceDir().resolve("services.conf"), svc);
  }

  private static void section(StringBuilder out, String name, Map<String, String> keys) {
    out.append('[').append(name).append("]\n");
    keys.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
    out.append('\n');
  }
}
