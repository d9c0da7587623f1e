package net.anycast.healthchecker.config;

import java.nio.file.Path;

/**
 * Where a raw configuration value came from, so that validation errors can point at the line
 * to fix.
 *
 * @param file the file the value was read from, or null for the built-in defaults
 * @param line the 1-based line of the key (the first line of a multi-line value); 0 when
 *     {@code file} is null
 */
public record Origin(Path file, int line) {

  /** The origin of every value given to {@link Ini#withDefaults}. */
  public static final Origin BUILT_IN = new Origin(null, 0);

  public Origin {
    if (line < 0 || (file == null && line != 0)) {
      throw new IllegalArgumentException("bad origin " + file + ":" + line);
    }
  }

  /** Returns {@code path:line}, or {@code built-in defaults}. */
  @Override
  public String toString() {
    return file == null ? "built-in defaults" : file + ":" + line;
  }
}
