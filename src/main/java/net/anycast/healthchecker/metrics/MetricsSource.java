package net.anycast.healthchecker.metrics;

import java.util.List;

/** Where a scrape reads the current samples from; both calls must be cheap and thread-safe. */
public interface MetricsSource {
  List<ServiceSample> services();

  List<BirdSample> bird();

  /** Returns one sample per check of every service; none by default. */
  default List<CheckSample> checks() {
    return List.of();
  }
}
