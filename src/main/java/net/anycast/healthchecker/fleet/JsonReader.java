package net.anycast.healthchecker.fleet;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader: objects as {@link LinkedHashMap}, arrays as {@link List}, numbers as
 * {@link BigDecimal}, {@code null} as Java null. Written here because the daemon's dependencies
 * hold no JSON library and etcd's JSON gateway answers in nested JSON (the drain files' flat
 * objects have their own reader); the tests read the API's documents with it too, apart from the
 * writer that made them.
 */
public final class JsonReader {
  private final String text;
  private int at;

  private JsonReader(String text) {
    this.text = text;
  }

  /** Returns the value of {@code text}; throws IllegalArgumentException when it is not JSON. */
  public static Object parse(String text) {
    JsonReader j = new JsonReader(text);
    j.ws();
    Object v = j.value();
    j.ws();
    if (j.at != text.length()) {
      throw j.fail("text after the value");
    }
    return v;
  }

  /** Returns the object {@code text} holds; throws IllegalArgumentException otherwise. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("not an object: " + text);
    }
    return (Map<String, Object>) v;
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
