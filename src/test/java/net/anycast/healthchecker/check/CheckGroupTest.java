package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.anycast.healthchecker.config.CheckMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** check_mode as a table: results of the checks in, the run's verdict out. */
class CheckGroupTest {

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("all", "++", true), Arguments.of("all", "+-", false),
        Arguments.of("all", "-+", false), Arguments.of("all", "--", false),
        Arguments.of("any", "++", true), Arguments.of("any", "+-", true),
        Arguments.of("any", "-+", true), Arguments.of("any", "--", false),
        Arguments.of("2", "++-", true), Arguments.of("2", "+--", false),
        Arguments.of("2", "-++", true), Arguments.of("all", "+", true),
        Arguments.of("all", "-", false));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("table")
  void run_combinesResultsByMode(String mode, String results, boolean passed) throws Exception {
    CheckMode m = switch (mode) {
      case "all" -> CheckMode.ALL;
      case "any" -> CheckMode.ANY;
      default -> new CheckMode(Integer.parseInt(mode));
    };
    List<CheckGroup.Member> members = new ArrayList<>();
    String[] kinds = {"http", "tcp", "dns"};
    for (int i = 0; i < results.length(); i++) {
      members.add(new CheckGroup.Member(kinds[i], new ScriptedCheck().then(
          results.charAt(i) == '+' ? ScriptedCheck.pass()
              : new CheckResult.Failed(Duration.ofMillis(1), "connect refused"))));
    }
    CheckGroup.Outcome o = new CheckGroup(members, m).run(Duration.ofSeconds(1));
    assertThat(o.passed()).isEqualTo(passed);
    assertThat(o.results()).hasSize(results.length());
    for (int i = 0; i < results.length(); i++) {
      assertThat(o.results().get(i).passed()).isEqualTo(results.charAt(i) == '+');
    }
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("table")
  void begin_combinesResultsByMode_onceTheLastCheckEnds(String mode, String results,
      boolean passed) {
    CheckMode m = switch (mode) {
      case "all" -> CheckMode.ALL;
      case "any" -> CheckMode.ANY;
      default -> new CheckMode(Integer.parseInt(mode));
    };
    List<CheckGroup.Member> members = new ArrayList<>();
    List<HeldCheck> checks = new ArrayList<>();
    String[] kinds = {"http", "tcp", "dns"};
    for (int i = 0; i < results.length(); i++) {
      HeldCheck c = new HeldCheck();
      checks.add(c);
      members.add(new CheckGroup.Member(kinds[i], c));
    }
    CheckGroup group = new CheckGroup(members, m);
    assertThat(group.nonBlocking()).isTrue();
    List<CheckGroup.Outcome> outcomes = new ArrayList<>();
    group.begin(Duration.ofSeconds(1), outcomes::add);
    for (int i = results.length() - 1; i >= 0; i--) { // in any order
      assertThat(outcomes).as("not before the last check ends").isEmpty();
      checks.get(i).end(results.charAt(i) == '+' ? ScriptedCheck.pass()
          : new CheckResult.Failed(Duration.ofMillis(1), "connect refused"));
    }
    assertThat(outcomes).hasSize(1);
    CheckGroup.Outcome o = outcomes.getFirst();
    assertThat(o.passed()).isEqualTo(passed);
    for (int i = 0; i < results.length(); i++) {
      assertThat(o.results().get(i).passed()).isEqualTo(results.charAt(i) == '+');
    }
  }

  @org.junit.jupiter.api.Test
  void nonBlocking_onlyWhenEveryCheckIsAReactorCheck() {
    assertThat(new CheckGroup(List.of(new CheckGroup.Member("tcp", new HeldCheck()),
        new CheckGroup.Member("exec", new ScriptedCheck())), CheckMode.ALL).nonBlocking())
        .isFalse();
  }
}
