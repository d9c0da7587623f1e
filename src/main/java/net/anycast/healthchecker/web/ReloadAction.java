package net.anycast.healthchecker.web;

import java.util.List;
import java.util.Objects;

/** What {@code POST /api/v1/reload} runs: the daemon's reload, the same as SIGHUP's. */
@FunctionalInterface
public interface ReloadAction {

  /** Reloads now and returns how it ended; never throws. */
  Result reload(String trigger);

  /**
   * How a reload ended.
   *
   * @param result {@code applied}, {@code invalid} (nothing changed: {@code errors} say why, as
   *     {@code -c} prints them) or {@code refused} (the daemon is stopping, say)
   * @param needsRestart settings that changed but keep their running value
   * @param changes what changed
   */
  record Result(String result, String summary, List<String> errors, List<String> needsRestart,
      List<String> changes) {
    public Result {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(summary, "summary");
      errors = List.copyOf(errors);
      needsRestart = List.copyOf(needsRestart);
      changes = List.copyOf(changes);
    }
  }
}
