package net.anycast.healthchecker.bird;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values are what Python 3's shlex.split returns for the same input. */
class ShellWordsTest {
  @Test
  void split_likeShlex() {
    assertThat(ShellWords.split("sudo /usr/sbin/birdc configure"))
        .containsExactly("sudo", "/usr/sbin/birdc", "configure");
    assertThat(ShellWords.split("  a\t b  ")).containsExactly("a", "b");
    assertThat(ShellWords.split("birdc -s '/run/my bird.ctl' configure"))
        .containsExactly("birdc", "-s", "/run/my bird.ctl", "configure");
    assertThat(ShellWords.split("echo \"a \\\"b\\\" \\x\" c\\ d")).containsExactly("echo", "a \"b\" \\x", "c d");
    assertThat(ShellWords.split("a''b \"\"")).containsExactly("ab", "");
    assertThat(ShellWords.split("a # not a comment")).containsExactly("a", "#", "not", "a", "comment");
    assertThat(ShellWords.split("")).isEqualTo(List.of());
  }

  @Test
  void split_unclosedQuote_failsLikeShlex() {
    assertThatThrownBy(() -> ShellWords.split("a 'b")).hasMessage("No closing quotation");
    assertThatThrownBy(() -> ShellWords.split("a \"b")).hasMessage("No closing quotation");
    assertThatThrownBy(() -> ShellWords.split("a \\")).hasMessage("No escaped character");
  }
}
