package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every key of the built-in checks is in the man page and the README, with an example. */
class CheckKeysDocumentedTest {

  @Test
  void manPage_namesEveryCheckKey_withAnExample() throws Exception {
    // troff escapes hyphens, not underscores: a key reads as itself in the source.
    String man = Files.readString(Path.of("packaging/anycast-healthchecker.1"));
    for (String key : CheckSections.KEYS) {
      assertThat(man).as(key).containsPattern("\\\\fI" + key + " = [^\\n]+\\\\fR");
    }
  }

  @Test
  void readme_namesEveryCheckKey() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (String key : CheckSections.KEYS) {
      assertThat(readme).as(key).contains("`" + key + "`");
    }
  }
}
