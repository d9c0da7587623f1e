package net.anycast.healthchecker.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/** Reads and validates {@code [daemon]} into a {@link DaemonConfig}. */
final class DaemonSection {
  static final String NAME = "daemon";
  private static final Set<String> LEVELS = Set.of("debug", "info", "warning", "error", "critical");
  // A BIRD symbol: what `define NAME = [...]` accepts.
  private static final Pattern BIRD_SYMBOL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  // A stop that takes longer than an hour is a hang to systemd and to an operator alike.
  private static final Duration MAX_SHUTDOWN_GRACE = Duration.ofHours(1);

  private final SectionValues v;
  private final Set<IpFamily> enabled = EnumSet.noneOf(IpFamily.class);

  DaemonSection(Ini ini, List<ConfigError> errors) {
    this.v = new SectionValues(ini, NAME, errors);
  }

  /** Returns the daemon settings, or null when any of them is invalid (errors say why). */
  DaemonConfig read(int serviceNameWidth) {
    int errorsBefore = v.errorCount();
    Boolean ipv4 = v.bool("ipv4");
    Boolean ipv6 = v.bool("ipv6");
    if (ipv4 == null || ipv4) {
      enabled.add(IpFamily.IPV4);
    }
    if (ipv6 == null || ipv6) {
      enabled.add(IpFamily.IPV6);
    }
    // Like the original, the settings of a disabled family are not looked at.
    BirdFamilyConfig bird4 =
        Boolean.TRUE.equals(ipv4) ? family(IpFamily.IPV4, "bird", "dummy_ip_prefix") : null;
    BirdFamilyConfig bird6 =
        Boolean.TRUE.equals(ipv6) ? family(IpFamily.IPV6, "bird6", "dummy_ip6_prefix") : null;
    Boolean purge = v.bool("purge_ip_prefixes");
    Path pidfile = pidfile();
    Duration splay = v.has("splay_startup") ? v.seconds("splay_startup", true) : Duration.ZERO;
    LogConfig log = log(serviceNameWidth);
    PrometheusConfig prometheus = prometheus();
    Path spoolDir = v.has("spool_dir") ? v.path("spool_dir") : DaemonConfig.DEFAULT_SPOOL_DIR;
    ShutdownConfig shutdown = shutdown();
    HttpConfig http = http();
    ChecksConfig checks = checks();
    FleetConfig fleet = fleet();
    if (bird4 != null && bird6 != null && bird4.keepChanges() && bird6.keepChanges()
        && bird4.conf().getParent().equals(bird6.conf().getParent())) {
      v.error("bird6_conf", bird6.conf().toString(),
          "is in the same directory as bird_conf while both keep a history of changes;"
              + " their history/ directories would collide, so put them in different directories");
    }
    if (v.errorCount() > errorsBefore) {
      return null;
    }
    return new DaemonConfig(bird4, bird6, purge, pidfile, splay, log, prometheus, spoolDir,
        shutdown, http, checks, fleet);
  }

  /**
   * Returns the families that services may use, known after {@link #read}: those switched on,
   * and those whose switch is invalid (already reported; a second error per service would
   * only bury the first).
   */
  Set<IpFamily> enabledFamilies() {
    return Set.copyOf(enabled);
  }

  private BirdFamilyConfig family(IpFamily family, String p, String dummyKey) {
    Path conf = prefixFile(p + "_conf");
    String variable = v.nonBlank(p + "_variable", "it names the BIRD set of announced prefixes");
    if (variable != null && !BIRD_SYMBOL.matcher(variable).matches()) {
      v.error(p + "_variable", variable,
          "not a BIRD symbol; use letters, digits and '_', not starting with a digit");
      variable = null;
    }
    String cmd = v.text(p + "_reconfigure_cmd", "it tells BIRD to reload the prefix file");
    IpPrefix dummy = dummy(dummyKey, family);
    Boolean keep = v.bool(p + "_keep_changes");
    Long counter = v.integer(p + "_changes_counter", 1, Integer.MAX_VALUE);
    Path socket = v.has(p + "_socket") ? v.path(p + "_socket") : null;
    if (conf == null || variable == null || cmd == null || dummy == null || keep == null
        || counter == null) {
      return null;
    }
    return new BirdFamilyConfig(
        family, conf, variable, cmd, dummy, keep, counter.intValue(), socket);
  }

  private IpPrefix dummy(String key, IpFamily family) {
    String text = v.optionalText(key);
    if (text == null) {
      return null;
    }
    try {
      IpPrefix prefix = IpPrefix.parse(text);
      if (prefix.family() != family) {
        v.error(key, text, "not an " + family.label() + " prefix; expected e.g. "
            + (family == IpFamily.IPV4 ? "10.189.200.255/32" : "2001:db8::1/128"));
        return null;
      }
      return prefix;
    } catch (IllegalArgumentException e) {
      v.error(key, text, "not a valid " + family.label() + " prefix (" + e.getMessage() + ")");
      return null;
    }
  }

  /**
   * Returns the prefix file, with a symlink resolved to its target: the file is replaced by an
   * atomic rename, which must happen beside the target (the original does the same).
   */
  private Path prefixFile(String key) {
    Path path = v.path(key);
    if (path == null) {
      return null;
    }
    Path target = path.toAbsolutePath().normalize();
    try {
      for (int hops = 0; Files.isSymbolicLink(target) && hops < 40; hops++) {
        target = target.resolveSibling(Files.readSymbolicLink(target)).normalize();
      }
    } catch (IOException e) {
      v.error(key, path.toString(), "cannot read the symlink: " + e.getMessage());
      return null;
    }
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      v.error(key, path.toString(), "directory " + dir + " doesn't exist; create it first"
          + " (the daemon creates the file, not its directory)");
      return null;
    }
    if (Files.isDirectory(target)) {
      v.error(key, path.toString(), "is a directory; expected a file path");
      return null;
    }
    return target;
  }

  private Path pidfile() {
    Path pidfile = v.path("pidfile");
    if (pidfile == null) {
      return null;
    }
    Path dir = pidfile.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      v.error("pidfile", pidfile.toString(), "directory " + dir + " doesn't exist; create it"
          + " before the first start");
      return null;
    }
    return pidfile;
  }

  private LogConfig log(int serviceNameWidth) {
    String level = v.optionalText("loglevel");
    if (level != null && !LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
      v.error("loglevel", level, "not a log level; use debug, info, warning, error or critical");
      level = null;
    }
    Path logFile = v.has("log_file") ? appendable("log_file") : null;
    Path stderrFile = v.has("stderr_file") ? appendable("stderr_file") : null;
    Long maxBytes = v.integer("log_maxbytes", 0, Long.MAX_VALUE);
    Long backups = v.integer("log_backups", 0, Integer.MAX_VALUE);
    String server = v.has("log_server") ? v.nonBlank("log_server", "a syslog host") : null;
    Long port = v.integer("log_server_port", 1, 65535);
    Boolean jsonStdout = v.bool("json_stdout");
    Boolean jsonFile = v.bool("json_log_file");
    Boolean jsonServer = v.bool("json_log_server");
    Boolean journal = v.bool("log_format_journalctl");
    Boolean stderrServer = v.has("stderr_log_server") ? v.bool("stderr_log_server") : false;
    if (Boolean.TRUE.equals(stderrServer) && server == null && !v.has("log_server")) {
      v.error("stderr_log_server", "true", "needs log_server; set log_server or remove"
          + " stderr_log_server");
      stderrServer = null;
    }
    if (level == null || (v.has("log_file") && logFile == null)
        || (v.has("stderr_file") && stderrFile == null) || maxBytes == null || backups == null
        || (v.has("log_server") && server == null) || port == null || jsonStdout == null
        || jsonFile == null || jsonServer == null || journal == null || stderrServer == null) {
      return null;
    }
    return new LogConfig(level.toLowerCase(Locale.ROOT), logFile, maxBytes, backups.intValue(),
        server, port.intValue(), jsonStdout, jsonFile, jsonServer, journal, stderrFile,
        stderrServer, serviceNameWidth);
  }

  /** Returns a file the daemon can append to (or create), without creating it now. */
  private Path appendable(String key) {
    Path file = v.path(key);
    if (file == null) {
      return null;
    }
    Path abs = file.toAbsolutePath();
    if (Files.exists(abs)) {
      if (!Files.isRegularFile(abs) || !Files.isWritable(abs)) {
        v.error(key, file.toString(), "exists but is not a writable file");
        return null;
      }
    } else if (abs.getParent() == null || !Files.isDirectory(abs.getParent())) {
      v.error(key, file.toString(), "directory " + abs.getParent() + " doesn't exist;"
          + " create it before the first start");
      return null;
    } else if (!Files.isWritable(abs.getParent())) {
      v.error(key, file.toString(), "cannot be created: directory " + abs.getParent()
          + " is not writable");
      return null;
    }
    return file;
  }

  /** Reads {@code check_env_passthrough} and {@code check_user}; null when either is invalid. */
  private ChecksConfig checks() {
    List<String> pass = ChecksConfig.DEFAULT_PASS_ENV;
    String passText = v.optionalText("check_env_passthrough");
    if (passText != null) {
      pass = List.of(passText.strip().split("[,\\s]+")).stream().filter(n -> !n.isEmpty())
          .toList();
      for (String name : pass) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          v.error("check_env_passthrough", passText, "'" + name + "' is not an environment"
              + " variable name; expected names separated by commas or spaces, such as PATH,"
              + " LANG, TZ");
          return null;
        }
      }
    }
    String user = "";
    if (v.has("check_user")) {
      user = v.nonBlank("check_user", "the name of a user of this host to run the checks as");
      if (user == null) {
        return null;
      }
      user = user.strip();
      try {
        FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
      } catch (IOException e) { // UserPrincipalNotFoundException, or no user database at all
        v.error("check_user", user, "no such user; expected the name of a user of this host"
            + " to run the checks as");
        return null;
      }
    }
    return new ChecksConfig(pass, user);
  }

  /** Reads {@code on_shutdown} and {@code shutdown_grace}; null when either is invalid. */
  private ShutdownConfig shutdown() {
    OnShutdown policy = OnShutdown.KEEP;
    if (v.has("on_shutdown")) {
      String text = v.optionalText("on_shutdown");
      policy = switch (text == null ? "" : text.strip()) {
        case "keep" -> OnShutdown.KEEP;
        case "withdraw" -> OnShutdown.WITHDRAW;
        default -> {
          v.error("on_shutdown", text, "use keep (leave every route as it is, the default) or"
              + " withdraw (withdraw every prefix and wait for BIRD before exiting)");
          yield null;
        }
      };
    }
    Duration grace = v.has("shutdown_grace") ? v.seconds("shutdown_grace", true) : Duration.ZERO;
    if (grace != null && grace.compareTo(MAX_SHUTDOWN_GRACE) > 0) {
      v.error("shutdown_grace", v.optionalText("shutdown_grace"), "out of range; expected a"
          + " number of seconds from 0 to " + MAX_SHUTDOWN_GRACE.toSeconds());
      grace = null;
    }
    return policy == null || grace == null ? null : new ShutdownConfig(policy, grace);
  }

  private PrometheusConfig prometheus() {
    Boolean exporter = v.bool("prometheus_exporter");
    Path dir = v.path("prometheus_collector_textfile_dir");
    Duration interval = v.seconds("prometheus_exporter_interval", false);
    InetSocketAddress listen = v.has("prometheus_listen") ? listen("prometheus_listen") : null;
    if (exporter == null || dir == null || interval == null
        || (v.has("prometheus_listen") && listen == null)) {
      return null;
    }
    if (exporter && !Files.isDirectory(dir)) {
      v.error("prometheus_collector_textfile_dir", dir.toString(),
          "directory doesn't exist; create it or set prometheus_exporter = false");
      return null;
    }
    return new PrometheusConfig(exporter, dir, interval, listen);
  }

  /** Reads the HTTP API settings; null when any is invalid. */
  private HttpConfig http() {
    boolean any = v.has("http_listen") || v.has("http_token_file")
        || v.has("allow_remote_spool_changes");
    if (!any) {
      return HttpConfig.OFF;
    }
    InetSocketAddress listen = v.has("http_listen") ? listen("http_listen") : null;
    Boolean remote = v.has("allow_remote_spool_changes")
        ? v.bool("allow_remote_spool_changes") : Boolean.FALSE;
    Path tokenFile = v.has("http_token_file") ? v.path("http_token_file") : null;
    HttpConfig.Secret token = tokenFile == null ? null
        : TokenFile.read(tokenFile, (value, problem) -> v.error("http_token_file", value, problem));
    if ((v.has("http_listen") && listen == null) || remote == null
        || (v.has("http_token_file") && token == null)) {
      return null;
    }
    return new HttpConfig(listen, tokenFile, token, remote);
  }

  /** Reads the fleet valve's settings; OFF without endpoints, null when any is invalid. */
  private FleetConfig fleet() {
    String endpointsText = v.optionalText("fleet_etcd_endpoints");
    if (endpointsText == null || endpointsText.isBlank()) {
      return FleetConfig.OFF;
    }
    int before = v.errorCount();
    List<java.net.URI> endpoints = new java.util.ArrayList<>();
    for (String part : endpointsText.split(",")) {
      java.net.URI uri = endpoint(part.strip(), endpointsText);
      if (uri == null) {
        break;
      }
      endpoints.add(uri);
    }
    String node = v.has("fleet_node_name") ? stripped("fleet_node_name") : hostName();
    if (node != null && !NODE_NAME.matcher(node).matches()) {
      v.error("fleet_node_name", node, "not a node name; use 1 to 253 letters, digits, '.', '-'"
          + " or '_' (it becomes part of etcd keys)");
    }
    String keyPrefix = v.has("fleet_key_prefix") ? stripped("fleet_key_prefix")
        : FleetConfig.DEFAULT_KEY_PREFIX;
    if (keyPrefix != null && !KEY_PREFIX.matcher(keyPrefix).matches()) {
      v.error("fleet_key_prefix", keyPrefix, "not an etcd key prefix; expected a path such as"
          + " /anycast-healthchecker: starting with '/', not ending with '/', no spaces");
    }
    Long ttl = v.has("fleet_lease_ttl") ? v.integer("fleet_lease_ttl", 2, 3600)
        : Long.valueOf(FleetConfig.DEFAULT_LEASE_TTL.toSeconds());
    MinAnnouncers min = MinAnnouncers.DEFAULT;
    if (v.has("fleet_min_announcers")) {
      // "30%" as written: configparser would want "30%%" (both are taken).
      String text = v.uninterpolated("fleet_min_announcers");
      min = text == null ? null : MinAnnouncers.parse(text).orElse(null);
      if (text != null && min == null) {
        v.error("fleet_min_announcers", text, "expected a whole number of other nodes (such as"
            + " 1) or a percentage of the nodes registered for the prefix (such as 30%)");
      }
    }
    Path ca = v.has("fleet_etcd_ca_file") ? v.path("fleet_etcd_ca_file") : null;
    Path cert = v.has("fleet_etcd_cert_file") ? v.path("fleet_etcd_cert_file") : null;
    Path key = v.has("fleet_etcd_key_file") ? v.path("fleet_etcd_key_file") : null;
    if ((cert == null) != (key == null) && v.errorCount() == before) {
      String missing = cert == null ? "fleet_etcd_cert_file" : "fleet_etcd_key_file";
      v.error(missing, null, "is missing; a client certificate needs both fleet_etcd_cert_file"
          + " and fleet_etcd_key_file");
    }
    String user = stripped("fleet_etcd_user");
    Path passwordFile = v.has("fleet_etcd_password_file")
        ? v.path("fleet_etcd_password_file") : null;
    if (user != null && user.isEmpty()) {
      v.error("fleet_etcd_user", user, "is empty; expected the etcd user name");
    }
    if ((user == null) != (passwordFile == null) && v.errorCount() == before) {
      v.error(user == null ? "fleet_etcd_user" : "fleet_etcd_password_file", null,
          "is missing; etcd authentication needs both fleet_etcd_user and"
              + " fleet_etcd_password_file");
    }
    if (v.errorCount() > before) {
      return null;
    }
    HttpConfig.Secret password = passwordFile == null ? null : TokenFile.read(passwordFile,
        "password", 1, (value, problem) -> v.error("fleet_etcd_password_file", value, problem));
    javax.net.ssl.SSLContext tls = ca == null && cert == null ? null
        : EtcdTls.context(ca, cert, key, v::error);
    if (v.errorCount() > before) {
      return null;
    }
    return new FleetConfig(endpoints, node, keyPrefix, Duration.ofSeconds(ttl), min, tls,
        ca, cert, key, user, password);
  }

  /** Returns the value without surrounding spaces; null when unset or not interpolated. */
  private String stripped(String key) {
    String text = v.optionalText(key);
    return text == null ? null : text.strip();
  }

  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,253}");
  private static final Pattern KEY_PREFIX = Pattern.compile("/[^\\s]*[^/\\s]");

  /** Returns one etcd endpoint of {@code fleet_etcd_endpoints}, or null after an error. */
  private java.net.URI endpoint(String text, String whole) {
    String allowed = "expected comma-separated etcd client URLs such as"
        + " http://10.0.0.1:2379,http://10.0.0.2:2379 (https:// for TLS)";
    try {
      java.net.URI uri = new java.net.URI(text);
      if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()))
          || uri.getHost() == null || uri.getPort() < 0
          || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
          || uri.getQuery() != null || uri.getUserInfo() != null) {
        v.error("fleet_etcd_endpoints", whole, "'" + text + "' is not an etcd URL; " + allowed);
        return null;
      }
      return new java.net.URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null,
          null);
    } catch (java.net.URISyntaxException e) {
      v.error("fleet_etcd_endpoints", whole, "'" + text + "' is not a URL; " + allowed);
      return null;
    }
  }

  /** Returns this machine's host name, the default node name. */
  private static String hostName() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException e) {
      // fall through
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private InetSocketAddress listen(String key) {
    String text = v.optionalText(key);
    if (text == null) {
      return null;
    }
    String allowed = "expected host:port, such as 127.0.0.1:9150 or [::1]:9150";
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      v.error(key, text, "not host:port; " + allowed);
      return null;
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      v.error(key, text, "an IPv6 host needs brackets; " + allowed);
      return null;
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      v.error(key, text, "port must be 1 to 65535; " + allowed);
      return null;
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
