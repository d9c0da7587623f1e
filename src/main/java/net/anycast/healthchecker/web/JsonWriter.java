package net.anycast.healthchecker.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import net.anycast.healthchecker.override.FlatJsonObject;

/**
 * Writes nested JSON into a {@link StringBuilder}, commas included.
 *
 * <p>Written by hand because the project carries no JSON library (see STACK.md) and the API only
 * needs to write objects of strings, numbers, booleans and nulls; request bodies are flat and
 * read by {@link FlatJsonObject}, whose escaping (to printable ASCII) it shares, so a service
 * name or a check's output can never break the document.
 */
final class JsonWriter {
  private final StringBuilder out;
  // One bit per open container: whether something was written in it yet (64 levels are plenty).
  private long nonEmpty;
  private int depth;
  private boolean afterName;

  JsonWriter(StringBuilder out) {
    this.out = out;
  }

  JsonWriter() {
    this(new StringBuilder(256));
  }

  JsonWriter beginObject() {
    return open('{');
  }

  JsonWriter endObject() {
    return close('}');
  }

  JsonWriter beginArray() {
    return open('[');
  }

  JsonWriter endArray() {
    return close(']');
  }

  JsonWriter name(String name) {
    separate();
    quote(name);
    out.append(':');
    afterName = true;
    return this;
  }

  JsonWriter value(String text) {
    if (text == null) {
      return nullValue();
    }
    separate();
    quote(text);
    return this;
  }

  JsonWriter value(long n) {
    separate();
    out.append(n);
    return this;
  }

  JsonWriter value(boolean b) {
    separate();
    out.append(b);
    return this;
  }

  /** Writes a time as ISO-8601 UTC text, or null. */
  JsonWriter value(Instant at) {
    return at == null ? nullValue() : value(at.toString());
  }

  /** Writes a duration as (fractional) seconds, e.g. 0.012. */
  JsonWriter seconds(Duration d) {
    separate();
    out.append(String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9));
    return this;
  }

  JsonWriter nullValue() {
    separate();
    out.append("null");
    return this;
  }

  /** Returns the document written so far. */
  @Override
  public String toString() {
    return out.toString();
  }

  private JsonWriter open(char c) {
    separate();
    out.append(c);
    if (++depth >= 64) {
      throw new IllegalStateException("JSON nested too deep");
    }
    nonEmpty &= ~(1L << depth);
    return this;
  }

  private JsonWriter close(char c) {
    if (depth == 0) {
      throw new IllegalStateException("nothing to close");
    }
    depth--;
    out.append(c);
    return this;
  }

  private void separate() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      if ((nonEmpty & (1L << depth)) != 0) {
        out.append(',');
      }
      nonEmpty |= 1L << depth;
    }
  }

  private void quote(String text) {
    FlatJsonObject.quote(out, text);
  }
}
