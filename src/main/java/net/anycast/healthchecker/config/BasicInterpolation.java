package net.anycast.healthchecker.config;

import java.util.Locale;
import java.util.function.Function;
import net.anycast.healthchecker.config.IniException.Kind;

/**
 * Expands {@code %(name)s} and {@code %%} exactly like configparser's {@code
 * BasicInterpolation}, including its quirks: expansion happens on every read (never stored),
 * a referenced value is expanded only if it contains {@code %}, and a reference cycle is
 * detected only by exceeding configparser's {@code MAX_INTERPOLATION_DEPTH}.
 */
final class BasicInterpolation {

  /** configparser's {@code MAX_INTERPOLATION_DEPTH}. */
  static final int MAX_DEPTH = 10;

  private final String section;
  private final String key;
  private final Origin origin;
  private final Function<String, String> lookup;

  private BasicInterpolation(
      String section, String key, Origin origin, Function<String, String> lookup) {
    this.section = section;
    this.key = key;
    this.origin = origin;
    this.lookup = lookup;
  }

  /**
   * Returns {@code value} expanded.
   *
   * @param section the section being read from, named in errors
   * @param key the option being read, named in errors
   * @param origin where the option's raw value came from, for errors
   * @param lookup returns the raw value of a lower-cased key as seen from {@code section}
   *     (the section, then DEFAULT), or null
   * @param value the raw value
   */
  static String expand(String section, String key, Origin origin, String value,
      Function<String, String> lookup) throws IniException {
    StringBuilder out = new StringBuilder(value.length());
    new BasicInterpolation(section, key, origin, lookup).expandInto(out, value, 1);
    return out.toString();
  }

  /** Python's {@code _interpolate_some}. */
  private void expandInto(StringBuilder out, String rest, int depth) throws IniException {
    if (depth > MAX_DEPTH) {
      throw error(Kind.INTERPOLATION_DEPTH, "references nested deeper than " + MAX_DEPTH
          + " levels (a reference cycle?)");
    }
    int at = 0;
    while (at < rest.length()) {
      int percent = rest.indexOf('%', at);
      if (percent < 0) {
        out.append(rest, at, rest.length());
        return;
      }
      out.append(rest, at, percent);
      char next = percent + 1 < rest.length() ? rest.charAt(percent + 1) : 0;
      if (next == '%') {
        out.append('%');
        at = percent + 2;
      } else if (next == '(') {
        // configparser's _KEYCRE: %\(([^)]+)\)s
        int close = rest.indexOf(')', percent + 2);
        if (close <= percent + 2 || close + 1 >= rest.length() || rest.charAt(close + 1) != 's') {
          throw error(Kind.INTERPOLATION_SYNTAX, "bad reference '" + rest.substring(percent)
              + "': write %(name)s, or %% for a literal %");
        }
        String name = rest.substring(percent + 2, close).toLowerCase(Locale.ROOT);
        String value = lookup.apply(name);
        if (value == null) {
          throw error(Kind.INTERPOLATION_MISSING_OPTION, "%(" + name + ")s refers to option '"
              + name + "', which is neither in section '" + section + "' nor in [DEFAULT]");
        }
        if (value.indexOf('%') >= 0) {
          expandInto(out, value, depth + 1);
        } else {
          out.append(value);
        }
        at = close + 2;
      } else {
        throw error(Kind.INTERPOLATION_SYNTAX, "'%' must be followed by '%' or '(', found '"
            + rest.substring(percent) + "'; write %% for a literal %");
      }
    }
  }

  private IniException error(Kind kind, String problem) {
    return new IniException(kind, origin, section, key,
        "option '" + key + "' in section '" + section + "': " + problem);
  }
}
