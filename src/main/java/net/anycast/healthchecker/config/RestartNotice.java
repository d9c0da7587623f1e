package net.anycast.healthchecker.config;

import java.nio.file.Path;

/**
 * A {@code [daemon]} setting a reload found changed but cannot apply: the running daemon keeps
 * its value until it is restarted.
 *
 * @param file where the new value is written; null when it is a built-in default
 * @param key the setting
 * @param running the value in force (null when unset)
 * @param wanted the value in the files now (null when unset)
 */
public record RestartNotice(Path file, String key, String running, String wanted) {

  /**
   * Returns the notice as one line, in the shape of a configuration error: {@code file:
   * [daemon] key = 'new': needs a restart; the daemon keeps 'old'}.
   */
  @Override
  public String toString() {
    return (file == null ? "" : file + ": ") + "[daemon] " + key + " = " + quoted(wanted)
        + ": needs a restart; the running daemon keeps " + quoted(running);
  }

  private static String quoted(String value) {
    return value == null ? "(unset)" : "'" + value.replace("\n", "\\n") + "'";
  }
}
