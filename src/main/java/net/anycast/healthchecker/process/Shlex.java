package net.anycast.healthchecker.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words exactly like Python's {@code shlex.split(s)}, the way the
 * original turns {@code check_cmd} into an argument vector: POSIX quoting rules, no comments,
 * no expansion of any kind, and no shell involved.
 *
 * <p>Single quotes keep everything literal; inside double quotes a backslash escapes only
 * {@code "} and {@code \} (before anything else it stays); outside quotes a backslash escapes
 * any character. Only space, tab, CR and LF separate words; {@code ''} is an empty word.
 */
public final class Shlex {
  private static final String WHITESPACE = " \t\r\n";

  private Shlex() {}

  /**
   * Returns the words of {@code line}.
   *
   * @throws IllegalArgumentException "No closing quotation" or "No escaped character", the
   *     messages of Python's ValueError
   */
  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false; // a word has started, even an empty quoted one
    char quote = 0; // the open quote, or 0
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i++);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"') {
          if (i == line.length()) {
            throw new IllegalArgumentException("No escaped character");
          }
          char next = line.charAt(i++);
          if (next != '"' && next != '\\') {
            word.append('\\');
          }
          word.append(next);
        } else {
          word.append(c);
        }
      } else if (WHITESPACE.indexOf(c) >= 0) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (c == '\\') {
        if (i == line.length()) {
          throw new IllegalArgumentException("No escaped character");
        }
        word.append(line.charAt(i++));
        inWord = true;
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("No closing quotation");
    }
    if (inWord) {
      words.add(word.toString());
    }
    return List.copyOf(words);
  }
}
