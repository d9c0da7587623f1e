package net.anycast.healthchecker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.anycast.healthchecker.config.MinAnnouncers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ValveDecision#decide} as a table: this node is always {@code self}; the other nodes
 * are single letters. Sets are written as letters without separators ({@code -} for none).
 */
class ValveDecisionTest {

  private static Set<String> nodes(String letters) {
    return letters.equals("-") ? Set.of()
        : Arrays.stream(letters.split("")).map(s -> s.equals("S") ? "self" : s)
            .collect(Collectors.toSet());
  }

  private static List<String> list(String letters) {
    return letters.equals("-") ? List.of() : Arrays.asList(letters.split(""));
  }

  /**
   * S is this node. Columns: announcers (etcd's announcer keys), members (its member keys),
   * fleet_min_announcers, then the expected answer: allowed, others, floor, registered,
   * witnesses.
   */
  @ParameterizedTest(name = "announcers={0} members={1} min={2} -> allowed={3}")
  @CsvSource(delimiter = '|', textBlock = """
      # announcers | members | min  | allowed | others | floor | registered | witnesses
      # counts, self announcing
      SABC         | SABC    | 1    | true    | 3      | 1     | 4          | A
      SABC         | SABC    | 3    | true    | 3      | 3     | 4          | ABC
      SABC         | SABC    | 4    | false   | 3      | 4     | 4          | -
      SA           | SAB     | 1    | true    | 1      | 1     | 3          | A
      S            | SAB     | 1    | false   | 0      | 1     | 3          | -
      S            | S       | 1    | false   | 0      | 1     | 1          | -
      # self not announcing (its key already gone): the others alone count
      ABC          | SABC    | 2    | true    | 3      | 2     | 4          | AB
      A            | SA      | 1    | true    | 1      | 1     | 2          | A
      -            | SAB     | 1    | false   | 0      | 1     | 3          | -
      # self not yet registered: it counts itself in the denominator all the same
      SAB          | AB      | 50%  | true    | 2      | 2     | 3          | AB
      AB           | AB      | 50%  | true    | 2      | 2     | 3          | AB
      -            | -       | 1    | false   | 0      | 1     | 1          | -
      # an announcer whose member key is late is registered all the same
      SABC         | S       | 50%  | true    | 3      | 2     | 4          | AB
      # percentages of the registered nodes, rounded up
      SAB          | SAB     | 30%  | true    | 2      | 1     | 3          | A
      SAB          | SABCDEFGHI | 30% | false | 2      | 3     | 10         | -
      SABC         | SABCDEFGHI | 30% | true  | 3      | 3     | 10         | ABC
      SA           | SAB     | 100% | false   | 1      | 3     | 3          | -
      SABCD        | SABCD   | 100% | false   | 4      | 5     | 5          | -
      SAB          | SAB     | 66.7% | false  | 2      | 3     | 3          | -
      SAB          | SAB     | 66.6% | true   | 2      | 2     | 3          | AB
      # a zero floor lets the last announcer go, with no witnesses to check
      S            | SAB     | 0    | true    | 0      | 0     | 3          | -
      SAB          | SAB     | 0    | true    | 2      | 0     | 3          | -
      S            | SAB     | 0%   | true    | 0      | 0     | 3          | -
      # more witnesses than needed: exactly floor, in name order
      SEDCBA       | SABCDE  | 2    | true    | 5      | 2     | 6          | AB
      SZYX         | SXYZ    | 1    | true    | 3      | 1     | 4          | X
      """)
  void decide_table(String announcers, String members, String min, boolean allowed, int others,
      int floor, int registered, String witnesses) {
    ValveDecision d = ValveDecision.decide("self", nodes(announcers), nodes(members),
        MinAnnouncers.parse(min).orElseThrow());

    assertThat(allowed).as("the row itself: allowed means others >= floor")
        .isEqualTo(others >= floor);
    assertThat(d).isEqualTo(new ValveDecision(allowed, others, floor, registered,
        list(witnesses)));
  }

  @Test
  void decide_witnessesAreTheFirstInNameOrder_neverSelf() {
    ValveDecision d = ValveDecision.decide("node-b",
        Set.of("node-c", "node-b", "node-a", "node-d"), Set.of("node-a", "node-b"),
        new MinAnnouncers(2, null));

    assertThat(d.witnesses()).containsExactly("node-a", "node-c");
    assertThat(d.witnesses()).doesNotContain("node-b");
  }

  @Test
  void decide_refused_hasNoWitnesses() {
    ValveDecision d = ValveDecision.decide("n1", Set.of("n1", "n2"), Set.of("n1", "n2", "n3"),
        new MinAnnouncers(2, null));

    assertThat(d.allowed()).isFalse();
    assertThat(d.witnesses()).isEmpty();
  }

  @Test
  void why_saysOthersFloorAndRegistered() {
    ValveDecision refused = ValveDecision.decide("n1", Set.of("n1", "n2"),
        Set.of("n1", "n2", "n3", "n4"), MinAnnouncers.parse("50%").orElseThrow());
    ValveDecision allowed = ValveDecision.decide("n1", Set.of("n1", "n2", "n3"),
        Set.of("n1", "n2", "n3"), MinAnnouncers.DEFAULT);

    assertThat(refused.why()).isEqualTo("1 other node(s) announce it, at least 2 must (4 registered)");
    assertThat(allowed.why()).isEqualTo("2 other node(s) announce it, at least 1 must (3 registered)");
  }

  /**
   * With the announcers' states: columns announcers, down (announcers asking to withdraw; S
   * always is), min, then allowed, keeper, witnesses. Every down node that is not a keeper may go
   * at once, its witnesses being the ones that stay.
   */
  @ParameterizedTest(name = "announcers={0} down={1} min={2} -> allowed={3} keeper={4}")
  @CsvSource(delimiter = '|', textBlock = """
      # announcers | down  | min | allowed | keeper | witnesses
      # all down, floor 1: the first by name keeps it; S is not first, so it goes with A
      SABC         | ABC   | 1   | true    | false  | A
      # floor 2 with one up node: one keeper needed (A), witnesses the up node then A
      SABC         | AB    | 2   | true    | false  | CA
      # floor 2, every other node down and "self" among the first two by name (before y, z)
      Szy          | zy    | 2   | false   | true   | -
      # enough up nodes: nobody keeps, witnesses are up nodes only
      SABCD        | AB    | 2   | true    | false  | CD
      # floor 3 of 3 others all down: all three are needed, none of them S
      SABC         | ABC   | 3   | true    | false  | ABC
      """)
  void decide_withStates(String announcers, String down, String min, boolean allowed,
      boolean keeper, String witnesses) {
    Set<String> a = nodes(announcers);
    ValveDecision d = ValveDecision.decide("self", a, nodes(down), a,
        MinAnnouncers.parse(min).orElseThrow());

    assertThat(d.allowed()).isEqualTo(allowed);
    assertThat(d.keeper()).isEqualTo(keeper);
    assertThat(d.witnesses()).isEqualTo(list(witnesses));
    if (keeper) {
      assertThat(d.why()).endsWith("this node is one of the down nodes that keep the floor (the"
          + " first by name), so the others may go");
    }
  }

  @Test
  void fleetWideFailure_everyNonKeeperGoesInOneRound_withTheKeepersAsWitnesses() {
    Set<String> all = new java.util.TreeSet<>();
    for (int i = 1; i <= 20; i++) {
      all.add(String.format("n%02d", i));
    }
    MinAnnouncers min = MinAnnouncers.parse("30%").orElseThrow(); // 6 of 20
    long going = 0;
    for (String self : all) {
      ValveDecision d = ValveDecision.decide(self, all, all, all, min);
      if (d.allowed()) {
        going++;
        assertThat(d.witnesses()).containsExactly("n01", "n02", "n03", "n04", "n05", "n06");
      } else {
        assertThat(d.keeper()).isTrue();
      }
    }
    assertThat(going).isEqualTo(14);
  }
}
