package net.anycast.healthchecker.config;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The keys this daemon understands, and the closest one to a misspelt key.
 *
 * <p>An unknown key is a warning, never an error: configuration files must keep loading when
 * they carry options of a newer (or older) version.
 */
final class KnownKeys {
  static final Set<String> SERVICE = keys(keys(
      Defaults.sections().get("DEFAULT").keySet(),
      Set.of("check_cmd", "ip_prefix", "custom_bird_reconfigure_cmd", "on_drain")),
      CheckSections.KEYS);
  static final Set<String> DAEMON = keys(
      Defaults.sections().get("daemon").keySet(),
      Set.of("log_file", "stderr_file", "log_server", "stderr_log_server", "splay_startup",
          "bird_socket", "bird6_socket", "prometheus_listen", "spool_dir", "on_shutdown",
          "shutdown_grace", "http_listen", "http_token_file", "allow_remote_spool_changes",
          "check_env_passthrough", "check_user", "fleet_etcd_endpoints", "fleet_node_name",
          "fleet_key_prefix", "fleet_lease_ttl", "fleet_min_announcers", "fleet_etcd_ca_file",
          "fleet_etcd_cert_file", "fleet_etcd_key_file", "fleet_etcd_user",
          "fleet_etcd_password_file"));
  static final Set<String> ANY = keys(SERVICE, DAEMON);

  private KnownKeys() {}

  private static Set<String> keys(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  /** Returns the known key closest to {@code key} when it looks like a typo of it. */
  static Optional<String> closest(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known.stream().sorted().toList()) {
      int d = distance(key, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    // A typo changes a few characters; more than a third of the word is another word.
    int limit = Math.max(1, Math.min(3, key.length() / 3));
    return bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** Returns the optimal-string-alignment distance (Levenshtein plus adjacent swaps). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
