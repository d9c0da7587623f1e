package net.anycast.healthchecker.config;

import java.nio.file.Path;

/**
 * One configuration mistake: where it is, the bad value, and what is allowed.
 *
 * @param file the file the value (or the section) comes from; null for built-in defaults or
 *     when no single file is to blame
 * @param section the section, or null
 * @param key the key, or null
 * @param value the bad value as written, or null when the key is missing
 * @param problem what is wrong and what is allowed
 */
public record ConfigError(Path file, String section, String key, String value, String problem) {

  /** Returns the error as one line: {@code file: [section] key = 'value': problem}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file).append(": ");
    }
    if (section != null) {
      sb.append('[').append(section).append("] ");
    }
    if (key != null) {
      sb.append(key);
      if (value != null) {
        sb.append(" = '").append(value.replace("\n", "\\n")).append('\'');
      }
      sb.append(": ");
    }
    return sb.append(problem).toString();
  }
}
