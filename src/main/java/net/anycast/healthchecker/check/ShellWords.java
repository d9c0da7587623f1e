package net.anycast.healthchecker.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words exactly like Python's {@code shlex.split(s)} (POSIX mode,
 * no comments), which is how the original turns {@code check_cmd} into an argv. No shell runs.
 */
public final class ShellWords {
  private ShellWords() {}

  /**
   * Returns the words of {@code line}.
   *
   * @throws IllegalArgumentException "No closing quotation" or "No escaped character", as
   *     shlex reports them
   */
  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i++);
      switch (c) {
        case ' ', '\t', '\r', '\n' -> {
          if (inWord) {
            words.add(word.toString());
            word.setLength(0);
            inWord = false;
          }
        }
        case '\\' -> {
          if (i >= n) {
            throw new IllegalArgumentException("No escaped character");
          }
          word.append(line.charAt(i++));
          inWord = true;
        }
        case '\'' -> {
          int end = line.indexOf('\'', i);
          if (end < 0) {
            throw new IllegalArgumentException("No closing quotation");
          }
          word.append(line, i, end);
          i = end + 1;
          inWord = true;
        }
        case '"' -> {
          i = doubleQuoted(line, i, word);
          inWord = true;
        }
        default -> {
          word.append(c);
          inWord = true;
        }
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return List.copyOf(words);
  }

  /** Appends a double-quoted part starting after its quote; returns the index after it. */
  private static int doubleQuoted(String line, int start, StringBuilder word) {
    int i = start;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i++);
      if (c == '"') {
        return i;
      }
      // Inside double quotes a backslash escapes only '\' and '"'; before anything else it stays.
      if (c == '\\' && i < n && (line.charAt(i) == '\\' || line.charAt(i) == '"')) {
        word.append(line.charAt(i++));
      } else {
        word.append(c);
      }
    }
    throw new IllegalArgumentException("No closing quotation");
  }
}
