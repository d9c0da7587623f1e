package net.anycast.healthchecker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.anycast.healthchecker.config.IniException.Kind;

/**
 * Parses the text of one file the way {@code RawConfigParser._read} does with {@code
 * ConfigParser()}'s default settings, because the original daemon's configuration files are
 * defined by what that code accepts.
 *
 * <p>It only reports what the file adds, without touching any store, so that a rejected file
 * leaves an {@link Ini} unchanged (configparser leaves it half-updated; the daemon exits
 * either way).
 */
final class IniFileParser {

  /** What one file adds, in file order: applying it in order reproduces configparser's order. */
  record Parsed(List<String> sectionHeaders, List<Assignment> assignments) {}

  /** One key of one section, with its final (joined and stripped) value. */
  record Assignment(String section, String key, String value, Origin origin) {}

  /** A key whose value may still grow by continuation lines. */
  private record Pending(String section, String key, List<String> lines, Origin origin) {}

  private final Path file;
  private final List<String> headers = new ArrayList<>();
  private final List<Pending> options = new ArrayList<>();
  /**
   * configparser's elements_added, with the first line of each: strictness is per file, so
   * across files sections merge and later values win.
   */
  private final Map<String, Integer> sectionsInFile = new HashMap<>();
  private final Map<List<String>, Integer> keysInFile = new HashMap<>();
  private IniException firstBadLine;

  private IniFileParser(Path file) {
    this.file = file;
  }

  /** Returns what {@code text} adds, or throws the error configparser would raise first. */
  static Parsed parse(String text, Path file) throws IniException {
    return new IniFileParser(file).parse(text);
  }

  private Parsed parse(String text) throws IniException {
    String section = null;
    Pending option = null;
    int indentLevel = 0;
    int lineNo = 0;
    for (String line : lines(text)) {
      lineNo++;
      String value = strip(line);
      if (value.startsWith("#") || value.startsWith(";")) {
        continue; // a full-line comment, even when indented, never becomes part of a value
      }
      if (value.isEmpty()) {
        if (option != null) {
          option.lines().add(""); // empty_lines_in_values=True; trailing ones are stripped
        }
        continue;
      }
      int indent = indent(line);
      if (option != null && indent > indentLevel) {
        option.lines().add(value);
        continue;
      }
      indentLevel = indent;
      String header = header(value);
      if (header != null) {
        // [DEFAULT] twice is allowed: configparser never records it as added.
        Integer first = header.equals(Ini.DEFAULT_SECTION)
            ? null : sectionsInFile.putIfAbsent(header, lineNo);
        if (first != null) {
          throw error(Kind.DUPLICATE_SECTION, lineNo, header, null,
              "section '" + header + "' already exists (first at line " + first + ")");
        }
        headers.add(header);
        section = header;
        option = null;
      } else if (section == null) {
        throw error(Kind.MISSING_SECTION_HEADER, lineNo, null, null,
            "no [section] header before " + quote(line));
      } else {
        int delimiter = delimiter(value);
        if (delimiter < 0) {
          // Reported at the end of the file, like configparser's ParsingError; meanwhile the
          // previous key stays open for continuation lines, as it does there.
          badLine(lineNo, section, "expected 'key = value' or 'key: value', found "
              + quote(line));
        } else {
          option = option(value, delimiter, section, lineNo, line);
        }
      }
    }
    if (firstBadLine != null) {
      throw firstBadLine;
    }
    List<Assignment> assignments = new ArrayList<>(options.size());
    for (Pending p : options) {
      String joined = rstrip(String.join("\n", p.lines()));
      assignments.add(new Assignment(p.section(), p.key(), joined, p.origin()));
    }
    return new Parsed(List.copyOf(headers), List.copyOf(assignments));
  }

  /**
   * Returns the name in a section header, or null: configparser's SECTCRE {@code \[(.+)\]}
   * matched at the start only, so {@code [a]b} is section {@code a}.
   */
  private static String header(String value) {
    int close = value.lastIndexOf(']');
    return value.startsWith("[") && close >= 2 ? value.substring(1, close) : null;
  }

  /** Returns the first {@code =} or {@code :}: keys cannot contain either, values can. */
  private static int delimiter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '=' || c == ':') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the key opened by an option line, or null for an empty key (a ParsingError raised
   * at the end of the file; the line still counts for duplicates, as in configparser).
   */
  private Pending option(String value, int delimiter, String section, int lineNo, String line)
      throws IniException {
    String key = rstrip(value.substring(0, delimiter)).toLowerCase(Locale.ROOT);
    if (key.isEmpty()) {
      badLine(lineNo, section, "no key before '" + value.charAt(delimiter) + "' in "
          + quote(line));
    }
    Integer first = keysInFile.putIfAbsent(List.of(section, key), lineNo);
    if (first != null) {
      throw error(Kind.DUPLICATE_OPTION, lineNo, section, key, "option '" + key
          + "' in section '" + section + "' already exists (first at line " + first + ")");
    }
    if (key.isEmpty()) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    lines.add(strip(value.substring(delimiter + 1)));
    Pending pending = new Pending(section, key, lines, new Origin(file, lineNo));
    options.add(pending);
    return pending;
  }

  private void badLine(int lineNo, String section, String reason) {
    if (firstBadLine == null) {
      firstBadLine = error(Kind.PARSING, lineNo, section, null, reason);
    }
  }

  private IniException error(Kind kind, int lineNo, String section, String key, String reason) {
    return new IniException(kind, file, lineNo, section, key, reason);
  }

  /**
   * Returns the lines of {@code text} without their terminators, split like Python's text
   * files with universal newlines: at {@code \n}, {@code \r\n} and a lone {@code \r}.
   */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /**
   * Returns whether Python's {@code str.isspace()} holds, which {@code strip()} and the
   * {@code \s} of configparser's regexes use. It differs from {@link Character#isWhitespace}:
   * it includes no-break spaces and U+0085.
   */
  private static boolean isSpace(char c) {
    return (c >= '\t' && c <= '\r') || (c >= '\u001c' && c <= ' ') || c == '\u0085'
        || c == '\u00a0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a')
        || c == '\u2028' || c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000';
  }

  /** Returns the position of the first non-space character: a line's indentation. */
  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && isSpace(line.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String strip(String s) {
    return rstrip(s.substring(indent(s)));
  }

  private static String rstrip(String s) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  private static String quote(String line) {
    return "'" + strip(line) + "'";
  }
}
