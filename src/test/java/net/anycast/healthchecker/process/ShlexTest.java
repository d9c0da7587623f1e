package net.anycast.healthchecker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shlex against Python's own shlex.split, run once over the whole corpus. */
class ShlexTest {
  private static final List<String> CORPUS =
      List.of(
          "",
          "   ",
          "true",
          "/bin/true",
          "  leading and   trailing  ",
          "tab\tseparated\targs",
          "new\nline\r\nsplit",
          "curl -s -o /dev/null http://127.0.0.1:8080/health",
          "'single quoted arg'",
          "\"double quoted arg\"",
          "mixed'quo'\"ted\"word",
          "''",
          "\"\"",
          "a '' b",
          "a \"\" b ''\"\"",
          "empty''",
          "back\\ slash space",
          "\\\\double",
          "\\'escaped quote\\'",
          "\\\"escaped dquote\\\"",
          "\"inside \\\"dq\\\" escape\"",
          "\"backslash \\\\ in dq\"",
          "\"other \\n escape \\$ in dq\"",
          "'no \\escapes in sq'",
          "'it'\\''s'",
          "\"$HOME\" `date` $(id) ; | & > <",
          "sh -c 'sleep 100 & sleep 100'",
          "check --json '{\"a\": 1, \"b\": [2, 3]}'",
          "# not a comment",
          "a#b c",
          "trailing\\ ",
          "unicode ünïcödé 'ß' \"€\"",
          "vertical\u000btab\u000cformfeed",
          "x=\"1 2\" y='3 4'",
          "\\a\\b\\c",
          "\"a\\",
          "'unclosed",
          "\"unclosed",
          "ends with backslash\\",
          "'\"' \"'\"");

  @Test
  void split_matchesPythonShlexSplit() throws Exception {
    assertThat(CORPUS).hasSizeGreaterThanOrEqualTo(30);
    List<String> python = pythonSplit(CORPUS);
    assertThat(python).hasSize(CORPUS.size());
    for (int i = 0; i < CORPUS.size(); i++) {
      assertThat(javaSplit(CORPUS.get(i))).as("case %d: [%s]", i, CORPUS.get(i))
          .isEqualTo(python.get(i));
    }
  }

  @Test
  void split_unclosedQuote_saysNoClosingQuotation() {
    assertThatThrownBy(() -> Shlex.split("echo 'x")).hasMessage("No closing quotation");
  }

  @Test
  void split_trailingBackslash_saysNoEscapedCharacter() {
    assertThatThrownBy(() -> Shlex.split("echo x\\")).hasMessage("No escaped character");
  }

  /** Returns the same encoding as the Python side: hex words separated by spaces, or ERR msg. */
  private static String javaSplit(String line) {
    try {
      List<String> hex = new ArrayList<>();
      for (String word : Shlex.split(line)) {
        hex.add("w" + HexFormat.of().formatHex(word.getBytes(StandardCharsets.UTF_8)));
      }
      return ("OK " + String.join(" ", hex)).stripTrailing();
    } catch (IllegalArgumentException e) {
      return "ERR " + e.getMessage();
    }
  }

  private static List<String> pythonSplit(List<String> corpus) throws IOException, InterruptedException {
    String program =
        """
        import shlex, sys
        for line in sys.stdin.read().split():
            s = bytes.fromhex(line[1:]).decode('utf-8')
            try:
                print('OK ' + ' '.join('w' + w.encode('utf-8').hex() for w in shlex.split(s)))
            except ValueError as e:
                print('ERR ' + str(e))
        """;
    Process python = new ProcessBuilder("python3", "-c", program).start();
    try (OutputStream in = python.getOutputStream()) {
      for (String line : corpus) {
        in.write(("x" + HexFormat.of().formatHex(line.getBytes(StandardCharsets.UTF_8)) + "\n")
            .getBytes(StandardCharsets.US_ASCII));
      }
    }
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(python.exitValue()).as(new String(python.getErrorStream().readAllBytes())).isZero();
    return out.lines().map(String::stripTrailing).toList();
  }
}
