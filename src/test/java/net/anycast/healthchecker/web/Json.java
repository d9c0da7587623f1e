package net.anycast.healthchecker.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader for the tests: objects as {@link LinkedHashMap}, arrays as {@link
 * List}, numbers as {@link BigDecimal}, {@code null} as Java null. Written apart from the
 * product's {@link JsonWriter} (the test classpath has no JSON library); it rejects anything the
 * RFC does, so a document it reads is one any client reads.
 */
final class Json {
  private final String text;
  private int at;

  private Json(String text) {
    this.text = text;
  }

  /** Returns the value of {@code text}; throws IllegalArgumentException when it is not JSON. */
  static Object parse(String text) {
    Json j = new Json(text);
    j.ws();
    Object v = j.value();
    j.ws();
    if (j.at != text.length()) {
      throw j.fail("text after the value");
    }
    return v;
  }

  /** Returns the object {@code text} holds. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("not an object: " + text);
    }
    return (Map<String, Object>) v;
  }

  /** Returns a map of {@code key, value, …} in order; values may be null (unlike Map.of). */
  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  /** Returns the value at {@code path} (keys and list indexes) below {@code root}. */
  static Object at(Object root, Object... path) {
    Object v = root;
    for (Object step : path) {
      if (step instanceof Integer i) {
        v = ((List<?>) v).get(i);
      } else {
        Map<?, ?> m = (Map<?, ?>) v;
        if (!m.containsKey(step)) {
          throw new IllegalArgumentException("no key " + step + " in " + m.keySet());
        }
        v = m.get(step);
      }
    }
    return v;
  }

  private Object value() {
    if (at >= text.length()) {
      throw fail("end of text");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> obj();
      case '[' -> arr();
      case '"' -> str();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> num();
    };
  }

  private Map<String, Object> obj() {
    Map<String, Object> out = new LinkedHashMap<>();
    at++;
    ws();
    if (peek() == '}') {
      at++;
      return out;
    }
    while (true) {
      ws();
      if (peek() != '"') {
        throw fail("expected a key");
      }
      String key = str();
      ws();
      expect(':');
      ws();
      if (out.containsKey(key)) {
        throw fail("key twice: " + key);
      }
      out.put(key, value());
      ws();
      char c = next();
      if (c == '}') {
        return out;
      }
      if (c != ',') {
        throw fail("expected , or }");
      }
    }
  }

  private List<Object> arr() {
    List<Object> out = new ArrayList<>();
    at++;
    ws();
    if (peek() == ']') {
      at++;
      return out;
    }
    while (true) {
      ws();
      out.add(value());
      ws();
      char c = next();
      if (c == ']') {
        return out;
      }
      if (c != ',') {
        throw fail("expected , or ]");
      }
    }
  }

  private String str() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw fail("raw control character in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw fail("short \\u escape");
          }
          sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          at += 4;
        }
        default -> throw fail("bad escape \\" + e);
      }
    }
  }

  private BigDecimal num() {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else if (Character.isDigit(peek())) {
      digits();
    } else {
      throw fail("not a value");
    }
    if (peek() == '.') {
      at++;
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      digits();
    }
    return new BigDecimal(text.substring(start, at));
  }

  private void digits() {
    if (!isAsciiDigit(peek())) {
      throw fail("expected a digit");
    }
    while (isAsciiDigit(peek())) {
      at++;
    }
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw fail("not a value");
    }
    at += word.length();
    return value;
  }

  private void ws() {
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\uffff';
  }

  private char next() {
    if (at >= text.length()) {
      throw fail("end of text");
    }
    return text.charAt(at++);
  }

  private void expect(char c) {
    if (next() != c) {
      throw fail("expected " + c);
    }
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException(why + " at offset " + at + " of: " + text);
  }
}
