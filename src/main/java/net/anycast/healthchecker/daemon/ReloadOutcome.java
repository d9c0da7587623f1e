package net.anycast.healthchecker.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.anycast.healthchecker.config.ConfigDiff;
import net.anycast.healthchecker.config.ConfigError;
import net.anycast.healthchecker.config.RestartNotice;

/**
 * What one reload did: what {@link Reloader#reload} returns, what the reload file beside the
 * pidfile holds for the {@code reload} command, what the HTTP API answers.
 *
 * @param trigger what asked for it: {@code SIGHUP}, {@code api}, …
 * @param started when it began, before any file was read
 * @param finished when it ended
 * @param result applied, or why nothing changed
 * @param summary one line: the counts of the changes, or why nothing changed
 * @param errors why nothing changed, one line each; a configuration error as {@code -c} prints
 *     it ({@code file: [section] key = 'value': problem}); empty when applied
 * @param needsRestart settings that changed in the files but keep their running value, one line
 *     each (only when applied)
 * @param changes what changed, one line each (only when applied)
 */
public record ReloadOutcome(String trigger, Instant started, Instant finished, Result result,
    String summary, List<String> errors, List<String> needsRestart, List<String> changes) {

  /** How a reload ended. */
  public enum Result {
    /** The new configuration runs (settings needing a restart aside). */
    APPLIED,
    /** The files hold mistakes: nothing changed, the daemon runs the previous configuration. */
    INVALID,
    /** The daemon did not try (it is stopping, say): nothing changed. */
    REFUSED
  }

  public ReloadOutcome {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(finished, "finished");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(summary, "summary");
    errors = List.copyOf(errors);
    needsRestart = List.copyOf(needsRestart);
    changes = List.copyOf(changes);
  }

  /** Returns the outcome of a reload that applied {@code diff}. */
  static ReloadOutcome applied(String trigger, Instant started, Instant finished,
      ConfigDiff diff) {
    return new ReloadOutcome(trigger, started, finished, Result.APPLIED, diff.summary(),
        List.of(), diff.needsRestart().stream().map(RestartNotice::toString).toList(),
        diff.changes());
  }

  /** Returns the outcome of a reload whose configuration has {@code errors}. */
  static ReloadOutcome invalid(String trigger, Instant started, Instant finished,
      List<ConfigError> errors) {
    return new ReloadOutcome(trigger, started, finished, Result.INVALID,
        "Invalid configuration: " + errors.size() + (errors.size() == 1 ? " error" : " errors")
            + "; nothing changed", errors.stream().map(ConfigError::toString).toList(), List.of(),
        List.of());
  }

  /** Returns the outcome of a reload the daemon did not try, for {@code reason}. */
  static ReloadOutcome refused(String trigger, Instant started, Instant finished,
      String reason) {
    return new ReloadOutcome(trigger, started, finished, Result.REFUSED, reason, List.of(reason),
        List.of(), List.of());
  }

  /** Returns whether the new configuration runs. */
  public boolean success() {
    return result == Result.APPLIED;
  }

  /**
   * Returns the outcome for people, several lines: what changed and what needs a restart; or,
   * for invalid files, {@code Invalid configuration: …} exactly as {@code -c} prints it.
   */
  public String report() {
    List<String> lines = new ArrayList<>();
    switch (result) {
      case APPLIED -> {
        lines.add("reloaded: " + summary);
        changes.forEach(c -> lines.add("  " + c));
        needsRestart.forEach(n -> lines.add("warning: " + n));
      }
      case INVALID -> {
        lines.add("reload failed; the daemon keeps running its previous configuration");
        lines.add("Invalid configuration: " + (errors.size() == 1 ? errors.getFirst()
            : errors.size() + " errors:\n  " + String.join("\n  ", errors)));
      }
      case REFUSED -> lines.add("reload failed: " + summary);
    }
    return String.join("\n", lines);
  }
}
