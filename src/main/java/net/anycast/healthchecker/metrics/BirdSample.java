package net.anycast.healthchecker.metrics;

import java.time.Duration;
import java.util.Objects;
import net.anycast.healthchecker.net.IpFamily;

/**
 * What the metrics show of one family's BIRD side at one moment.
 *
 * @param desiredPrefixes prefixes the healthy services want announced (dummy excluded)
 * @param appliedPrefixes prefixes in the file BIRD last confirmed (dummy excluded)
 * @param lastReconfigureDuration how long the last reconfigure took; zero before the first
 */
public record BirdSample(
    IpFamily family,
    int desiredPrefixes,
    int appliedPrefixes,
    long reconfigureAttempts,
    long reconfigureFailures,
    Duration lastReconfigureDuration) {

  public BirdSample {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(lastReconfigureDuration, "lastReconfigureDuration");
  }
}
