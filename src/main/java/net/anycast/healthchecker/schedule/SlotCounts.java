package net.anycast.healthchecker.schedule;

import java.time.Duration;

/**
 * One service's slots since the daemon started, for the metrics.
 *
 * @param started slots whose run started (extra runs on SIGURG are not slots)
 * @param late of those, the runs that started more than 100 ms after their slot
 * @param skipped slots that passed while the previous run was still in flight, never run:
 *     an overloaded daemon skips slots instead of queueing runs
 * @param lateness how late the started runs started, summed
 */
public record SlotCounts(String service, long started, long late, long skipped,
    Duration lateness) {}
