package net.anycast.healthchecker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed reads of one section, with Python's conversions ({@code getint}, {@code getfloat},
 * {@code getboolean}). A bad value becomes a {@link ConfigError} in the shared list and the
 * read returns null, so that one pass finds every mistake.
 */
final class SectionValues {
  private static final Map<String, Boolean> BOOLEANS = Map.of(
      "1", true, "yes", true, "true", true, "on", true,
      "0", false, "no", false, "false", false, "off", false);
  // Python int(): optional sign, digits with single underscores between them.
  private static final Pattern INT = Pattern.compile("[+-]?\\d(_?\\d)*");
  // Python float(): decimal forms with optional exponent; inf/nan are handled separately.
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?((\\d(_?\\d)*)?\\.\\d(_?\\d)*|\\d(_?\\d)*\\.?)([eE][+-]?\\d(_?\\d)*)?");

  private final Ini ini;
  private final String section;
  private final List<ConfigError> errors;

  SectionValues(Ini ini, String section, List<ConfigError> errors) {
    this.ini = ini;
    this.section = section;
    this.errors = errors;
  }

  String section() {
    return section;
  }

  /** Returns the file to blame for the key: where its value was written, else the section's. */
  Path fileOf(String key) {
    Origin o = ini.hasOption(section, key) ? ini.origin(section, key) : null;
    return o != null && o.file() != null ? o.file() : sectionFile();
  }

  /** Returns the first file that defines a key of its own in this section. */
  Path sectionFile() {
    for (String key : ini.options(section)) {
      Origin o = ini.origin(section, key);
      if (o != null && o.file() != null && !o.equals(ini.origin("DEFAULT", key))) {
        return o.file();
      }
    }
    return null;
  }

  int errorCount() {
    return errors.size();
  }

  void error(String key, String value, String problem) {
    errors.add(new ConfigError(fileOf(key), section, key, value, problem));
  }

  boolean has(String key) {
    return ini.hasOption(section, key);
  }

  /** Returns whether the section sets {@code key} itself rather than inheriting it. */
  boolean isOwn(String key) {
    return has(key) && !ini.origin(section, key).equals(ini.origin("DEFAULT", key));
  }

  /** Returns the interpolated value, or null (with an error) when it cannot be interpolated. */
  String optionalText(String key) {
    if (!has(key)) {
      return null;
    }
    try {
      return ini.get(section, key);
    } catch (IniException e) {
      // The error already names the section and key; keep only what is wrong with the value.
      String prefix = "option '" + key + "' in section '" + section + "': ";
      String reason = e.reason();
      error(key, ini.raw(section, key),
          reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason);
      return null;
    }
  }

  /**
   * Returns the value as written, without interpolation, {@code %%} read as {@code %}; null when
   * unset. For a value that is naturally written with a {@code %} ({@code 30%}), where
   * configparser's {@code %%} would only trip operators up; both spellings work.
   */
  String uninterpolated(String key) {
    return has(key) ? ini.raw(section, key).replace("%%", "%") : null;
  }

  /** Returns the value of a required key; a missing one is reported with {@code why}. */
  String text(String key, String why) {
    if (!has(key)) {
      error(key, null, "is missing; " + why);
      return null;
    }
    return optionalText(key);
  }

  /** Returns a required non-blank value. */
  String nonBlank(String key, String why) {
    String v = text(key, why);
    if (v != null && v.isBlank()) {
      error(key, v, "is empty; " + why);
      return null;
    }
    return v;
  }

  Boolean bool(String key) {
    String v = optionalText(key);
    if (v == null) {
      return null;
    }
    Boolean b = BOOLEANS.get(v.toLowerCase(Locale.ROOT));
    if (b == null) {
      error(key, v, "not a boolean; use true/false, yes/no, on/off or 1/0");
    }
    return b;
  }

  Long integer(String key, long min, long max) {
    String v = optionalText(key);
    if (v == null) {
      return null;
    }
    String s = v.strip();
    if (!INT.matcher(s).matches()) {
      error(key, v, "not an integer; " + range(min, max));
      return null;
    }
    long n;
    try {
      n = Long.parseLong(s.replace("_", ""));
    } catch (NumberFormatException e) {
      error(key, v, "too large; " + range(min, max));
      return null;
    }
    if (n < min || n > max) {
      error(key, v, "out of range; " + range(min, max));
      return null;
    }
    return n;
  }

  /** Returns a duration written as (float) seconds, which must be above zero (or zero). */
  Duration seconds(String key, boolean zeroAllowed) {
    String v = optionalText(key);
    if (v == null) {
      return null;
    }
    String allowed = zeroAllowed
        ? "expected a number of seconds >= 0, such as 0, 2 or 0.5"
        : "expected a number of seconds > 0, such as 10 or 0.5";
    String s = v.strip();
    if (!FLOAT.matcher(s).matches()) {
      error(key, v, "not a number; " + allowed);
      return null;
    }
    double d = Double.parseDouble(s.replace("_", ""));
    if (d < 0 || (d == 0 && !zeroAllowed) || d > 86_400.0 * 365) {
      error(key, v, "out of range; " + allowed + " (at most a year)");
      return null;
    }
    return Duration.ofNanos(Math.round(d * 1e9));
  }

  Path path(String key) {
    String v = optionalText(key);
    if (v == null) {
      return null;
    }
    if (v.isBlank()) {
      error(key, v, "is empty; expected a file path");
      return null;
    }
    try {
      return Path.of(v);
    } catch (java.nio.file.InvalidPathException e) {
      error(key, v, "not a valid path: " + e.getReason());
      return null;
    }
  }

  private static String range(long min, long max) {
    return max == Long.MAX_VALUE || max == Integer.MAX_VALUE
        ? "expected a whole number >= " + min
        : "expected a whole number from " + min + " to " + max;
  }
}
