package net.anycast.healthchecker.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the daemon gives its checks of its own process (new keys, not in 0.9.10).
 *
 * @param passEnv {@code check_env_passthrough}: the only variables of the daemon's environment
 *     a check sees; the daemon's others ({@code NOTIFY_SOCKET} above all) stay with the daemon
 * @param checkUser {@code check_user}: the user the checks run as; empty when unset
 */
public record ChecksConfig(List<String> passEnv, String checkUser) {
  /** What checks see when {@code check_env_passthrough} is not set: enough to run programs. */
  public static final List<String> DEFAULT_PASS_ENV = List.of(
      "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE",
      "LC_MESSAGES", "TZ", "TMPDIR");

  /** The settings when neither key is set. */
  public static final ChecksConfig DEFAULT = new ChecksConfig(DEFAULT_PASS_ENV, "");

  public ChecksConfig {
    passEnv = List.copyOf(passEnv);
    Objects.requireNonNull(checkUser, "checkUser");
  }

  /** Returns {@code check_user}, when set. */
  public Optional<String> user() {
    return checkUser.isEmpty() ? Optional.empty() : Optional.of(checkUser);
  }
}
