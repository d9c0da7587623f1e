package net.anycast.healthchecker.metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * What the metrics show of one check of one service (new, per check kind).
 *
 * @param kind {@code exec}, {@code http}, {@code tcp} or {@code dns}
 * @param passed whether the last run passed
 * @param took how long the last run took
 */
public record CheckSample(String service, String kind, boolean passed, Duration took, long runs,
    long failures, long timeouts) {
  public CheckSample {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(took, "took");
  }
}
