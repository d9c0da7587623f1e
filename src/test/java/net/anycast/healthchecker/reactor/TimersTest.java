package net.anycast.healthchecker.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The heap alone: time is whatever the test passes in. */
class TimersTest {
  private final Timers timers = new Timers();
  private final List<String> ran = new ArrayList<>();

  private Timer timer(String name) {
    return new Timer(() -> ran.add(name));
  }

  @Test
  void runDue_runsWhatIsDue_inDueOrder_andLeavesTheRest() {
    timers.arm(timer("c"), 30);
    timers.arm(timer("a"), 10);
    timers.arm(timer("b"), 20);
    assertThat(timers.nextDue()).isEqualTo(10);
    assertThat(timers.runDue(20)).isEqualTo(2);
    assertThat(ran).containsExactly("a", "b");
    assertThat(timers.nextDue()).isEqualTo(30);
  }

  @Test
  void disarm_timerNeverRuns_andLeavesNothingBehind() {
    Timer a = timer("a");
    timers.arm(a, 10);
    timers.arm(timer("b"), 20);
    timers.disarm(a);
    timers.disarm(a); // twice: nothing happens
    assertThat(a.armed()).isFalse();
    assertThat(timers.size()).isEqualTo(1);
    timers.runDue(100);
    assertThat(ran).containsExactly("b");
    assertThat(timers.nextDue()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void arm_anArmedTimer_movesIt() {
    Timer a = timer("a");
    timers.arm(a, 10);
    timers.arm(timer("b"), 20);
    timers.arm(a, 30);
    assertThat(timers.size()).isEqualTo(2);
    timers.runDue(25);
    assertThat(ran).containsExactly("b");
  }

  @Test
  void runDue_aTaskReArmingInThePast_runsOncePerPass() {
    Timer[] self = new Timer[1];
    self[0] = new Timer(() -> {
      ran.add("again");
      timers.arm(self[0], 0);
    });
    timers.arm(self[0], 0);
    assertThat(timers.runDue(5)).isEqualTo(1);
    assertThat(timers.nextDue()).isZero();
  }

  @Test
  void dueTimes_nearTheEndOfTheClock_compareByDifference() {
    timers.arm(timer("late"), Long.MIN_VALUE + 5); // after MAX_VALUE - 5, the clock wrapped
    timers.arm(timer("early"), Long.MAX_VALUE - 5);
    timers.runDue(Long.MAX_VALUE - 5);
    assertThat(ran).containsExactly("early");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void randomArmsAndDisarms_runInDueOrder(long seed) {
    Random random = new Random(seed);
    List<Long> order = new ArrayList<>();
    List<Timer> all = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      long at = random.nextInt(1_000);
      Timer t = new Timer(() -> order.add(at));
      all.add(t);
      timers.arm(t, at);
      if (random.nextInt(4) == 0) {
        timers.disarm(all.get(random.nextInt(all.size())));
      }
    }
    long armed = all.stream().filter(Timer::armed).count();
    timers.runDue(1_000);
    assertThat(order).hasSize((int) armed).isSorted();
    assertThat(timers.size()).isZero();
  }
}
