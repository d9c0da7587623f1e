package net.anycast.healthchecker.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP status codes that pass, such as {@code 200-299} or {@code 200, 204, 301-302}.
 *
 * @param ranges inclusive {@code [low, high]} pairs, as written
 */
public record StatusSet(List<int[]> ranges) {
  /** The default: any 2xx. */
  public static final StatusSet SUCCESS = parse("200-299");

  public StatusSet {
    ranges = List.copyOf(ranges);
  }

  /**
   * Returns the set written as comma-separated codes and ranges.
   *
   * @throws IllegalArgumentException naming the word that is not a code or range of 100–599
   */
  public static StatusSet parse(String text) {
    List<int[]> out = new ArrayList<>();
    for (String word : text.split(",")) {
      String w = word.strip();
      int dash = w.indexOf('-');
      int low = code(dash < 0 ? w : w.substring(0, dash), w);
      int high = dash < 0 ? low : code(w.substring(dash + 1), w);
      if (high < low) {
        throw new IllegalArgumentException("'" + w + "' is a range from high to low");
      }
      out.add(new int[] {low, high});
    }
    return new StatusSet(out);
  }

  private static int code(String text, String word) {
    String t = text.strip();
    if (t.length() != 3 || !t.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("'" + word + "' is not a status code or range");
    }
    int c = Integer.parseInt(t);
    if (c < 100 || c > 599) {
      throw new IllegalArgumentException("'" + word + "' is outside 100-599");
    }
    return c;
  }

  /** Returns whether {@code status} is in the set. */
  public boolean contains(int status) {
    for (int[] r : ranges) {
      if (status >= r[0] && status <= r[1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    List<String> words = new ArrayList<>();
    for (int[] r : ranges) {
      words.add(r[0] == r[1] ? Integer.toString(r[0]) : r[0] + "-" + r[1]);
    }
    return String.join(", ", words);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusSet s && s.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
