package net.anycast.healthchecker.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The HTTP API and status page settings of {@code [daemon]} (all new in this version).
 *
 * @param listen {@code http_listen}: where the API, the status page, hacheck's endpoints and
 *     {@code /metrics} are served; null when off (the default)
 * @param tokenFile {@code http_token_file}: holds the bearer token that writes need; null when
 *     unset, and then every write is refused
 * @param token the token read from {@code tokenFile} at load time; null with it
 * @param allowRemoteSpoolChanges {@code allow_remote_spool_changes}: hacheck's
 *     {@code POST /spool/…} is allowed (with the token too)
 */
public record HttpConfig(
    InetSocketAddress listen, Path tokenFile, Secret token, boolean allowRemoteSpoolChanges) {

  /** The settings when none of the keys is set: no listener. */
  public static final HttpConfig OFF = new HttpConfig(null, null, null, false);

  /** Returns the token, when a token file is configured. */
  public Optional<Secret> bearerToken() {
    return Optional.ofNullable(token);
  }

  /** A token that never shows up in a log line, an exception or {@code -p} output. */
  public record Secret(String value) {
    @Override
    public String toString() {
      return "(secret)";
    }
  }
}
