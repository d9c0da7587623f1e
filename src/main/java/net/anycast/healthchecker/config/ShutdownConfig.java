package net.anycast.healthchecker.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the daemon stops.
 *
 * @param policy {@code on_shutdown}; default {@code keep}
 * @param grace {@code shutdown_grace}: with {@code withdraw}, how long to wait after BIRD
 *     confirmed the withdrawal before exiting, so traffic drains away before the services behind
 *     the routes stop; default 0
 */
public record ShutdownConfig(OnShutdown policy, Duration grace) {
  /** The default: keep every route, exit at once. */
  public static final ShutdownConfig KEEP = new ShutdownConfig(OnShutdown.KEEP, Duration.ZERO);

  public ShutdownConfig {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(grace, "grace");
  }
}
