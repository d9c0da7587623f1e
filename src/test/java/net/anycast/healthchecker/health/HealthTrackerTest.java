package net.anycast.healthchecker.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.anycast.healthchecker.config.OnDisabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthTrackerTest {

  /**
   * Observations: {@code +} passed, {@code -} failed, {@code x} IP not assigned. Health after
   * each: {@code ?} UNKNOWN, {@code U}, {@code D}. Changes: {@code *} where the established
   * health changed (a route request), {@code .} elsewhere.
   */
  @ParameterizedTest(name = "rise={0} fall={1} {2} -> {3} {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          1 | 1 | +       | U       | *
          1 | 1 | -       | D       | *
          2 | 2 | ++      | ?U      | .*
          3 | 3 | +++     | ??U     | ..*
          3 | 2 | ++-+++  | ?????U  | .....*
          2 | 2 | --      | ?D      | .*
          3 | 3 | ---     | ??D     | ..*
          1 | 3 | +---    | UUUD    | *..*
          2 | 2 | ++-     | ?UU     | .*.
          2 | 2 | ++--    | ?UUD    | .*.*
          2 | 2 | +++++   | ?UUUU   | .*...
          2 | 2 | ----    | ?DDD    | .*..
          3 | 2 | --+++   | ?DDDU   | .*..*
          2 | 2 | +-+-+-  | ??????  | ......
          2 | 2 | ++-+-+- | ?UUUUUU | .*.....
          2 | 2 | --+-+-+ | ?DDDDDD | .*.....
          2 | 3 | ++x     | ?UD     | .**
          2 | 3 | ++x++   | ?UDDU   | .**.*
          2 | 3 | ++x+    | ?UDD    | .**.
          2 | 2 | x       | D       | *
          2 | 2 | xx      | DD      | *.
          2 | 2 | +x+     | ?DD     | .*.
          1 | 1 | x+x+    | DUDU    | ****
          1 | 3 | -x-     | ?DD     | .*.
          """)
  void observe_followsRiseAndFall(
      int rise, int fall, String observations, String healths, String changes) {
    Thresholds thresholds = new Thresholds(rise, fall);
    HealthTracker tracker = HealthTracker.initial();
    for (int i = 0; i < observations.length(); i++) {
      Transition t = tracker.observe(observation(observations.charAt(i)), thresholds);
      assertThat(t.previous()).isEqualTo(tracker.health());
      assertThat(t.health()).as("health after step %d", i + 1).isEqualTo(health(healths.charAt(i)));
      assertThat(t.changed()).as("change at step %d", i + 1).isEqualTo(changes.charAt(i) == '*');
      tracker = t.next();
    }
  }

  @ParameterizedTest(name = "rise={0} fall={1}")
  @CsvSource({"1,1", "1,2", "1,3", "2,1", "2,2", "2,3", "3,1", "3,2", "3,3"})
  void observe_changesExactlyAtRiseAndAtFall(int rise, int fall) {
    Thresholds thresholds = new Thresholds(rise, fall);
    HealthTracker tracker = HealthTracker.initial();
    for (int i = 1; i <= rise; i++) {
      Transition t = tracker.observe(Observation.PASSED, thresholds);
      assertThat(t.changed()).isEqualTo(i == rise);
      assertThat(t.next().okStreak()).isEqualTo(i);
      tracker = t.next();
    }
    assertThat(tracker.health()).isEqualTo(Health.UP);
    for (int i = 1; i <= fall; i++) {
      Transition t = tracker.observe(Observation.FAILED, thresholds);
      assertThat(t.changed()).isEqualTo(i == fall);
      assertThat(t.next().failStreak()).isEqualTo(i);
      assertThat(t.next().okStreak()).isZero();
      tracker = t.next();
    }
    assertThat(tracker.health()).isEqualTo(Health.DOWN);
  }

  @Test
  void observe_ipNotAssigned_resetsSuccessStreakAndKeepsFailureStreak() {
    Thresholds thresholds = new Thresholds(3, 3);
    HealthTracker rising = new HealthTracker(Health.UNKNOWN, 2, 0);
    assertThat(rising.observe(Observation.IP_NOT_ASSIGNED, thresholds).next())
        .isEqualTo(new HealthTracker(Health.DOWN, 0, 0));
    HealthTracker falling = new HealthTracker(Health.UP, 0, 1);
    assertThat(falling.observe(Observation.IP_NOT_ASSIGNED, thresholds).next())
        .isEqualTo(new HealthTracker(Health.DOWN, 0, 1));
  }

  @Test
  void start_disabled_changesOnceToDisabledAndNeverMoves() {
    Transition start = HealthTracker.start(true);
    assertThat(start.changed()).isTrue();
    assertThat(start.health()).isEqualTo(Health.DISABLED);
    HealthTracker tracker = start.next();
    for (Observation o : Observation.values()) {
      Transition t = tracker.observe(o, new Thresholds(1, 1));
      assertThat(t.changed()).isFalse();
      assertThat(t.next()).isEqualTo(tracker);
    }
  }

  @Test
  void start_enabled_staysUnknownWithoutChange() {
    Transition start = HealthTracker.start(false);
    assertThat(start.changed()).isFalse();
    assertThat(start.next()).isEqualTo(HealthTracker.initial());
  }

  @ParameterizedTest(name = "{0} with on_disabled={1} -> {2}")
  @CsvSource({
    "DISABLED, WITHDRAW, WITHDRAW",
    "DISABLED, ADVERTISE, ANNOUNCE",
    "UP, WITHDRAW, ANNOUNCE",
    "DOWN, ADVERTISE, WITHDRAW",
    "UNKNOWN, ADVERTISE, KEEP",
    "UNKNOWN, WITHDRAW, KEEP"
  })
  void routeRequest_mapsHealthAndOnDisabled(Health health, OnDisabled mode, RouteRequest want) {
    assertThat(RouteRequest.of(health, mode)).isEqualTo(want);
  }

  @Test
  void thresholds_belowOne_rejected() {
    assertThatThrownBy(() -> new Thresholds(0, 1)).hasMessageContaining("rise=0");
    assertThatThrownBy(() -> new Thresholds(1, 0)).hasMessageContaining("fall=0");
  }

  @Test
  void tracker_bothStreaksPositive_rejected() {
    assertThatThrownBy(() -> new HealthTracker(Health.UP, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Observation observation(char c) {
    return switch (c) {
      case '+' -> Observation.PASSED;
      case '-' -> Observation.FAILED;
      case 'x' -> Observation.IP_NOT_ASSIGNED;
      default -> throw new IllegalArgumentException("bad observation " + c);
    };
  }

  private static Health health(char c) {
    return switch (c) {
      case '?' -> Health.UNKNOWN;
      case 'U' -> Health.UP;
      case 'D' -> Health.DOWN;
      default -> throw new IllegalArgumentException("bad health " + c);
    };
  }
}
