package net.anycast.healthchecker.override;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One flat JSON object: keys mapped to strings, numbers, booleans or null, in the order read or
 * given.
 *
 * <p>Hand-written rather than a JSON library because the project takes no dependencies beyond
 * those in {@code pom.xml}, and everything we exchange as JSON (a spool file, an API request
 * body) is one flat object. The reader is strict RFC 8259 for that subset: nested objects,
 * arrays, trailing commas, bad escapes, unpaired surrogates, {@code NaN}/{@code Infinity} and
 * text after the object are errors; a repeated key keeps its last value, as Python's
 * {@code json} module (and so hacheck) does. Numbers are kept exactly as {@link BigDecimal}, so
 * a Unix time like {@code 1764650000.123} loses nothing to binary floating point.
 *
 * <p>The writer uses Python's separators ({@code ", "}, {@code ": "}) and, like
 * {@code json.dumps}, escapes everything outside printable ASCII, so any reader in any encoding
 * gets the same text back.
 */
public final class FlatJsonObject {

  /** One value of the object. */
  public sealed interface Value permits Text, Decimal, Bool, Null {
    /** Returns this value as JSON text. */
    default String toJson() {
      return switch (this) {
        case Text t -> quote(new StringBuilder(t.value().length() + 2), t.value()).toString();
        case Decimal d -> d.value().toString();
        case Bool b -> Boolean.toString(b.value());
        case Null n -> "null";
      };
    }
  }

  /** A JSON string. */
  public record Text(String value) implements Value {
    public Text {
      Objects.requireNonNull(value, "value");
    }
  }

  /** A JSON number, exactly as written. */
  public record Decimal(BigDecimal value) implements Value {
    public Decimal {
      Objects.requireNonNull(value, "value");
    }
  }

  /** {@code true} or {@code false}. */
  public record Bool(boolean value) implements Value {}

  /** {@code null}. */
  public record Null() implements Value {}

  /** The text is not one flat JSON object; the message says what was wrong and where. */
  public static final class SyntaxException extends Exception {
    private final int offset;

    SyntaxException(String problem, int offset) {
      super(problem + " at offset " + offset);
      this.offset = offset;
    }

    /** Returns the index of the character where reading stopped. */
    public int offset() {
      return offset;
    }
  }

  private final Map<String, Value> values;

  private FlatJsonObject(Map<String, Value> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Returns the object {@code text} holds, which may be surrounded by JSON whitespace.
   *
   * @throws SyntaxException when it is anything but one flat object
   */
  public static FlatJsonObject parse(String text) throws SyntaxException {
    return new FlatJsonObject(FlatJsonReader.read(text));
  }

  /** Returns an object of {@code values}, written in their iteration order. */
  public static FlatJsonObject of(Map<String, ? extends Value> values) {
    Map<String, Value> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, k)));
    return new FlatJsonObject(copy);
  }

  /** Returns every key and value, in order. */
  public Map<String, Value> values() {
    return values;
  }

  /** Returns the value of {@code key}, empty when the key is absent. */
  public Optional<Value> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Returns the string under {@code key}; empty when absent or not a string. */
  public Optional<String> text(String key) {
    return values.get(key) instanceof Text(String v) ? Optional.of(v) : Optional.empty();
  }

  /** Returns the number under {@code key}; empty when absent or not a number. */
  public Optional<BigDecimal> decimal(String key) {
    return values.get(key) instanceof Decimal(BigDecimal v) ? Optional.of(v) : Optional.empty();
  }

  /** Returns the boolean under {@code key}; empty when absent or not a boolean. */
  public Optional<Boolean> bool(String key) {
    return values.get(key) instanceof Bool(boolean v) ? Optional.of(v) : Optional.empty();
  }

  /** Returns the object as one line of JSON, without a line end. */
  public String toJson() {
    StringBuilder json = new StringBuilder(64).append('{');
    for (Map.Entry<String, Value> e : values.entrySet()) {
      if (json.length() > 1) {
        json.append(", ");
      }
      quote(json, e.getKey()).append(": ").append(e.getValue().toJson());
    }
    return json.append('}').toString();
  }

  /**
   * Appends {@code text} as a JSON string, escaped to printable ASCII without {@code <>&} (so no
   * terminal, log line or HTML document can be broken by it); returns {@code json}.
   */
  public static StringBuilder quote(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          // Printable ASCII only, and never a raw "<", ">" or "&": safe in a terminal, a log
          // line, and inside HTML (an API answer can never close a script element).
          if (c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '&') {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlatJsonObject other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
