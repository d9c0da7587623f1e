package net.anycast.healthchecker.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.anycast.healthchecker.fleet.JsonReader;

/**
 * JSON for the tests: the strict RFC 8259 {@link JsonReader} (written apart from the product's
 * {@link JsonWriter}; it rejects anything the RFC does, so a document it reads is one any client
 * reads), and helpers to build and walk what it returns.
 */
final class Json {
  private Json() {}

  /** Returns the value of {@code text}; throws IllegalArgumentException when it is not JSON. */
  static Object parse(String text) {
    return JsonReader.parse(text);
  }

  /** Returns the object {@code text} holds. */
  static Map<String, Object> object(String text) {
    return JsonReader.object(text);
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
}
