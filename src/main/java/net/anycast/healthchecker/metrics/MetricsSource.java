package net.anycast.healthchecker.metrics;

import java.util.List;

/** Where a scrape reads the current samples from; both calls must be cheap and thread-safe. */
public interface MetricsSource {
  List<ServiceSample> services();

  List<BirdSample> bird();
}
