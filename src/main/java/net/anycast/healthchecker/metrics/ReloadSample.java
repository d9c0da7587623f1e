package net.anycast.healthchecker.metrics;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest configuration reload, for {@code config_reload_success} and
 * {@code config_last_reload_timestamp_seconds}.
 *
 * @param success whether it applied the files (true at start-up: the daemon runs what it loaded)
 * @param at when it ended, successful or not; at start-up, when the configuration was loaded
 */
public record ReloadSample(boolean success, Instant at) {
  public ReloadSample {
    Objects.requireNonNull(at, "at");
  }
}
