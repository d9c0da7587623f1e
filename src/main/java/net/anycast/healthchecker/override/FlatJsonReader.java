package net.anycast.healthchecker.override;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import net.anycast.healthchecker.override.FlatJsonObject.Bool;
import net.anycast.healthchecker.override.FlatJsonObject.Decimal;
import net.anycast.healthchecker.override.FlatJsonObject.Null;
import net.anycast.healthchecker.override.FlatJsonObject.SyntaxException;
import net.anycast.healthchecker.override.FlatJsonObject.Text;
import net.anycast.healthchecker.override.FlatJsonObject.Value;

/**
 * The strict reader behind {@link FlatJsonObject#parse}: one pass, no recursion (nothing nests),
 * so the time it takes is linear in the input whatever the input is.
 */
final class FlatJsonReader {
  private static final int END = -1;

  private final String s;
  private int i;

  private FlatJsonReader(String s) {
    this.s = s;
  }

  static Map<String, Value> read(String text) throws SyntaxException {
    return new FlatJsonReader(text).object();
  }

  private Map<String, Value> object() throws SyntaxException {
    Map<String, Value> out = new LinkedHashMap<>();
    skipSpace();
    expect('{', "expected '{'");
    skipSpace();
    if (peek() == '}') {
      i++;
    } else {
      members(out);
    }
    skipSpace();
    if (peek() != END) {
      throw error("unexpected text after the object");
    }
    return out;
  }

  private void members(Map<String, Value> out) throws SyntaxException {
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a key in double quotes");
      }
      String key = string();
      skipSpace();
      expect(':', "expected ':'");
      skipSpace();
      out.put(key, value()); // a repeated key: the last value wins, at the first one's place
      skipSpace();
      int c = peek();
      i++;
      if (c == '}') {
        return;
      }
      if (c != ',') {
        i--;
        throw error(c == END ? "unexpected end of input" : "expected ',' or '}'");
      }
    }
  }

  private Value value() throws SyntaxException {
    int c = peek();
    return switch (c) {
      case '"' -> new Text(string());
      case 't' -> literal("true", new Bool(true));
      case 'f' -> literal("false", new Bool(false));
      case 'n' -> literal("null", new Null());
      case '{' -> throw error("nested objects are not allowed");
      case '[' -> throw error("arrays are not allowed");
      case END -> throw error("unexpected end of input");
      default -> {
        if (c == '-' || isDigit(c)) {
          yield number();
        }
        throw error("expected a value");
      }
    };
  }

  private Value literal(String word, Value value) throws SyntaxException {
    if (!s.startsWith(word, i)) {
      throw error("expected a value");
    }
    i += word.length();
    return value;
  }

  /** Reads {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
  private Value number() throws SyntaxException {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    if (peek() == '0') {
      i++;
    } else {
      digits("expected a digit");
    }
    if (peek() == '.') {
      i++;
      digits("expected a digit after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      digits("expected a digit in the exponent");
    }
    try {
      return new Decimal(new BigDecimal(s.substring(start, i)));
    } catch (NumberFormatException e) {
      throw new SyntaxException("number out of range", start); // an exponent beyond an int
    }
  }

  private void digits(String problem) throws SyntaxException {
    if (!isDigit(peek())) {
      throw error(problem);
    }
    while (isDigit(peek())) {
      i++;
    }
  }

  private String string() throws SyntaxException {
    int start = i;
    i++; // the opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      int c = peek();
      if (c == END) {
        throw new SyntaxException("unterminated string", start);
      }
      i++;
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        i--;
        throw error("control character in a string");
      }
      if (c == '\\') {
        escape(out);
      } else {
        out.append((char) c);
      }
    }
  }

  private void escape(StringBuilder out) throws SyntaxException {
    int c = peek();
    i++;
    switch (c) {
      case '"' -> out.append('"');
      case '\\' -> out.append('\\');
      case '/' -> out.append('/');
      case 'b' -> out.append('\b');
      case 'f' -> out.append('\f');
      case 'n' -> out.append('\n');
      case 'r' -> out.append('\r');
      case 't' -> out.append('\t');
      case 'u' -> unicode(out);
      default -> {
        i--;
        throw error(c == END ? "unterminated string" : "bad escape");
      }
    }
  }

  /** Reads the four hex digits of a unicode escape, and the low half after a high surrogate. */
  private void unicode(StringBuilder out) throws SyntaxException {
    int at = i - 2;
    char c = (char) hex4();
    if (Character.isLowSurrogate(c)) {
      throw new SyntaxException("unpaired surrogate", at);
    }
    if (Character.isHighSurrogate(c)) {
      if (!s.startsWith("\\u", i)) {
        throw new SyntaxException("unpaired surrogate", at);
      }
      i += 2;
      char low = (char) hex4();
      if (!Character.isLowSurrogate(low)) {
        throw new SyntaxException("unpaired surrogate", at);
      }
      out.append(c).append(low);
    } else {
      out.append(c);
    }
  }

  private int hex4() throws SyntaxException {
    int v = 0;
    for (int n = 0; n < 4; n++) {
      int d = hexDigit(peek());
      if (d < 0) {
        throw error("expected four hex digits after \\u");
      }
      v = v * 16 + d;
      i++;
    }
    return v;
  }

  private static int hexDigit(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private void skipSpace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private int peek() {
    return i < s.length() ? s.charAt(i) : END;
  }

  private void expect(char c, String problem) throws SyntaxException {
    if (peek() != c) {
      throw error(peek() == END ? "unexpected end of input" : problem);
    }
    i++;
  }

  private SyntaxException error(String problem) {
    return new SyntaxException(problem, i);
  }
}
