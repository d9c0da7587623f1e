package net.anycast.healthchecker.metrics;

import java.time.Duration;
import java.util.Objects;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * What the metrics show of one service's slots: one sample per service and prefix, labelled as
 * the original's per-service series are.
 *
 * @param started slots whose run started
 * @param late of those, runs that started more than 100 ms after their slot
 * @param skipped slots that passed while the previous run was in flight, never run
 * @param lateness how late the started runs started, summed
 */
public record SlotSample(String service, IpPrefix ipPrefix, long started, long late,
    long skipped, Duration lateness) {
  public SlotSample {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(ipPrefix, "ipPrefix");
    Objects.requireNonNull(lateness, "lateness");
  }
}
