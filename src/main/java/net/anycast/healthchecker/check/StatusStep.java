package net.anycast.healthchecker.check;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.anycast.healthchecker.health.CheckState;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.health.HealthTracker;
import net.anycast.healthchecker.health.LastCheck;
import net.anycast.healthchecker.health.ServiceStatus;

/** The pure step from one status snapshot to the next, given what an iteration saw. */
final class StatusStep {
  private StatusStep() {}

  /** Returns the not-yet-run state of each configured check. */
  static List<CheckState> initialChecks(CheckGroup group) {
    return group.members().stream()
        .map(m -> CheckState.initial(m.kind(), m.check().describe())).toList();
  }

  /** Returns the status after an iteration that found a prefix not assigned (nothing ran). */
  static ServiceStatus notAssigned(ServiceStatus s, HealthTracker t, Instant started,
      Instant now, long nowNanos) {
    Health health = t.health();
    // The original's metric says 1 when the prefix is not assigned.
    return new ServiceStatus(s.service(), s.prefixes(), health, 1, s.lastCheckDuration(), false,
        s.timeouts(), s.checkRuns(), transitions(s, health), nowNanos, t.okStreak(),
        t.failStreak(), new LastCheck(started, Duration.ZERO, "ip not assigned", -1, ""),
        changed(s, health, now), s.checks());
  }

  /** Returns the status after an iteration that ran the checks. */
  static ServiceStatus next(ServiceStatus s, HealthTracker t, CheckGroup group,
      CheckGroup.Outcome outcome, Instant started, Instant now, long nowNanos) {
    Health health = t.health();
    List<CheckResult> results = outcome.results();
    boolean timedOut = results.stream().anyMatch(r -> r instanceof CheckResult.TimedOut);
    Duration took = results.stream().map(CheckResult::took).max(Duration::compareTo)
        .orElse(Duration.ZERO);
    return new ServiceStatus(s.service(), s.prefixes(), health, serviceState(outcome), took,
        true, s.timeouts() + (timedOut ? 1 : 0), s.checkRuns() + 1, transitions(s, health),
        nowNanos, t.okStreak(), t.failStreak(), lastCheck(group, outcome, started, took),
        changed(s, health, now), checks(s.checks(), group, results, started));
  }

  /**
   * Returns the original's {@code service_state}: 0 when the run passed, else the exit code of
   * a failing exec check, else 1 (a built-in check failed; its kind's metrics say which).
   */
  static int serviceState(CheckGroup.Outcome outcome) {
    if (outcome.passed()) {
      return 0;
    }
    for (CheckResult r : outcome.results()) {
      if (!r.passed() && r.exitCode().isPresent()) {
        return r.exitCode().getAsInt();
      }
    }
    return 1;
  }

  private static LastCheck lastCheck(CheckGroup group, CheckGroup.Outcome outcome,
      Instant started, Duration took) {
    List<CheckResult> results = outcome.results();
    int exit = results.stream().filter(r -> r.exitCode().isPresent())
        .mapToInt(r -> r.exitCode().getAsInt()).findFirst().orElse(-1);
    if (results.size() == 1) {
      CheckResult r = results.getFirst();
      return new LastCheck(started, took, word(r), exit, LastCheck.bounded(output(r)));
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < results.size(); i++) {
      CheckResult r = results.get(i);
      if (!r.passed()) {
        out.append(group.members().get(i).kind()).append(": ").append(r.reason()).append('\n');
      }
    }
    return new LastCheck(started, took, outcome.passed() ? "passed" : "failed", exit,
        LastCheck.bounded(out.toString().strip()));
  }

  private static List<CheckState> checks(List<CheckState> before, CheckGroup group,
      List<CheckResult> results, Instant started) {
    List<CheckState> out = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      CheckResult r = results.get(i);
      CheckState b = i < before.size() ? before.get(i)
          : CheckState.initial(group.members().get(i).kind(), group.members().get(i).check()
              .describe());
      out.add(b.after(started, r.took(), r.passed(), word(r), r.reason(),
          r.exitCode().orElse(-1), r instanceof CheckResult.TimedOut));
    }
    return out;
  }

  /** Returns the status API's word for a result. */
  static String word(CheckResult r) {
    return switch (r) {
      case CheckResult.Passed p -> "passed";
      case CheckResult.Failed f -> "failed";
      case CheckResult.Exited e -> "failed";
      case CheckResult.TimedOut t -> "timed out";
      case CheckResult.CouldNotRun c -> "could not run";
    };
  }

  /** Returns what a failed run printed or why it failed; empty for a passed run. */
  private static String output(CheckResult r) {
    return switch (r) {
      case CheckResult.Passed p -> "";
      case CheckResult.Exited e -> joined(e.stdout().text(), e.stderr().text());
      case CheckResult.Failed f -> f.reason();
      case CheckResult.TimedOut t -> t.exec() ? "" : t.reason();
      case CheckResult.CouldNotRun c -> c.reason();
    };
  }

  private static String joined(String stdout, String stderr) {
    if (stdout.isEmpty() || stderr.isEmpty()) {
      return stdout + stderr;
    }
    return stdout.endsWith("\n") ? stdout + stderr : stdout + "\n" + stderr;
  }

  private static long transitions(ServiceStatus before, Health after) {
    return before.transitions() + (before.health() != after ? 1 : 0);
  }

  private static Instant changed(ServiceStatus s, Health health, Instant now) {
    return s.health() != health ? now : s.lastChange();
  }
}
