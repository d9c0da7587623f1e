package net.anycast.healthchecker.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the last iteration of a service's loop saw, for the status API and page.
 *
 * @param started when the iteration began
 * @param took how long the check ran (zero when it did not run)
 * @param result {@code passed}, {@code failed}, {@code timed out}, {@code could not run} or
 *     {@code ip not assigned}
 * @param exitCode the check's exit code as the metrics show it; -1 when no check ran
 * @param output the first {@value #OUTPUT_LIMIT} bytes of what a failed check printed (stdout,
 *     then stderr), or why it could not run; empty for a passed check, whose output is not kept
 */
public record LastCheck(Instant started, Duration took, String result, int exitCode,
    String output) {
  public static final int OUTPUT_LIMIT = 4096;

  public LastCheck {
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(took, "took");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(output, "output");
  }

  /** Returns at most {@link #OUTPUT_LIMIT} UTF-8 bytes of {@code text}, cut at a character. */
  public static String bounded(String text) {
    if (text.length() * 3 <= OUTPUT_LIMIT) {
      return text;
    }
    int bytes = 0;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + size > OUTPUT_LIMIT) {
        break;
      }
      bytes += size;
      i += Character.charCount(cp);
    }
    return text.substring(0, i);
  }
}
