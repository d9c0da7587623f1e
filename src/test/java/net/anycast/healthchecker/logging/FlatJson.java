package net.anycast.healthchecker.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/** A parser for the flat JSON objects our log lines hold (strings, numbers, booleans), in order. */
final class FlatJson {
  private final String s;
  private int i;

  private FlatJson(String s) {
    this.s = s;
  }

  static Map<String, Object> parse(String text) {
    return new FlatJson(text.strip()).object();
  }

  private Map<String, Object> object() {
    Map<String, Object> out = new LinkedHashMap<>();
    expect('{');
    skipSpace();
    if (peek() == '}') {
      i++;
      return out;
    }
    while (true) {
      skipSpace();
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      if (out.put(key, value()) != null) {
        throw new IllegalArgumentException("duplicate key " + key);
      }
      skipSpace();
      char c = s.charAt(i++);
      if (c == '}') {
        if (i != s.length()) {
          throw new IllegalArgumentException("trailing text at " + i);
        }
        return out;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected , at " + (i - 1) + " in " + s);
      }
    }
  }

  private Object value() {
    char c = peek();
    if (c == '"') {
      return string();
    }
    if (s.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (s.startsWith("false", i)) {
      i += 5;
      return false;
    }
    int start = i;
    while (i < s.length() && "-+.eE0123456789".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    return Long.parseLong(s.substring(start, i));
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw new IllegalArgumentException("raw control character at " + (i - 1));
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
  }

  private char peek() {
    return s.charAt(i);
  }

  private void expect(char c) {
    if (s.charAt(i) != c) {
      throw new IllegalArgumentException("expected " + c + " at " + i + " in " + s);
    }
    i++;
  }

  private void skipSpace() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }
}
