package net.anycast.healthchecker.metrics;

import java.util.List;
import java.util.Optional;

/** Where a scrape reads the current samples from; both calls must be cheap and thread-safe. */
public interface MetricsSource {
  List<ServiceSample> services();

  List<BirdSample> bird();

  /** Returns one sample per check of every service; none by default. */
  default List<CheckSample> checks() {
    return List.of();
  }

  /** Returns one sample per service (and prefix) of its loop's slots; none by default. */
  default List<SlotSample> slots() {
    return List.of();
  }

  /** Returns the fleet valve's sample; empty when the valve is off. */
  default Optional<FleetSample> fleet() {
    return Optional.empty();
  }

  /** Returns why checks are started through the JDK though not asked to; empty when they are not. */
  default Optional<String> checkSpawnFallback() {
    return Optional.empty();
  }
}
