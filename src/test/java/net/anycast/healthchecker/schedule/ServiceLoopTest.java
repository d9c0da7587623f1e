package net.anycast.healthchecker.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slot grid, with a manual clock: no sleeps, no threads. */
class ServiceLoopTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private final ManualScheduler clock = new ManualScheduler();
  private final HeldExecutor executor = new HeldExecutor();
  private final List<Duration> starts = new ArrayList<>();
  private Duration checkTakes = Duration.ZERO;

  private final ServiceLoop loop =
      new ServiceLoop("svc", INTERVAL, clock, ServiceLoop.onExecutor("svc", executor, () -> {
        starts.add(clock.elapsed());
        clock.elapse(checkTakes);
      }));

  private static List<Duration> seconds(long... s) {
    List<Duration> out = new ArrayList<>();
    for (long x : s) {
      out.add(Duration.ofSeconds(x));
    }
    return out;
  }

  @Test
  void start_runsOnFixedSlots_withoutDriftFromCheckDuration() {
    checkTakes = Duration.ofMillis(3_333);
    loop.start(Duration.ZERO);
    clock.advance(Duration.ofSeconds(100));
    assertThat(starts).isEqualTo(seconds(0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100));
  }

  @Test
  void start_withFirstDelay_shiftsTheWholeGrid() {
    loop.start(Duration.ofMillis(2_500));
    clock.advance(Duration.ofSeconds(30));
    assertThat(starts).containsExactly(
        Duration.ofMillis(2_500), Duration.ofMillis(12_500), Duration.ofMillis(22_500));
  }

  @Test
  void overrun_skipsToTheNextSlotNotYetBegun() {
    checkTakes = Duration.ofSeconds(25);
    loop.start(Duration.ZERO);
    clock.advance(Duration.ZERO); // slot 0 runs from 0 s to 25 s
    checkTakes = Duration.ZERO;
    clock.advance(Duration.ofSeconds(20));
    assertThat(starts).isEqualTo(seconds(0, 30, 40));
  }

  @Test
  void overrun_endingExactlyOnASlot_runsThatSlot() {
    checkTakes = INTERVAL;
    loop.start(Duration.ZERO);
    clock.advance(Duration.ofSeconds(25));
    assertThat(starts).isEqualTo(seconds(0, 10, 20));
  }

  @Test
  void neverOverlaps_whileAnIterationRunsNothingElseStarts() {
    executor.holding(true);
    loop.start(Duration.ZERO);
    clock.advance(Duration.ZERO);
    assertThat(executor.held()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(35)); // three slots pass while slot 0 still runs
    loop.runNow();
    assertThat(executor.held()).isEqualTo(1);
    assertThat(clock.pending()).isZero();
    executor.holding(false);
    executor.release(); // slot 0's iteration "ran" until now (35 s)
    clock.advance(Duration.ofSeconds(20));
    assertThat(starts).isEqualTo(seconds(35, 40, 50));
  }

  @Test
  void runNow_runsAtOnceAndKeepsTheSlots() {
    loop.start(Duration.ZERO);
    clock.advance(Duration.ofSeconds(3));
    loop.runNow();
    clock.advance(Duration.ofSeconds(4));
    loop.runNow();
    clock.advance(Duration.ofSeconds(13));
    assertThat(starts).isEqualTo(seconds(0, 3, 7, 10, 20));
  }

  @Test
  void runNow_beforeTheFirstSlot_doesNotConsumeIt() {
    loop.start(Duration.ofSeconds(5));
    loop.runNow();
    clock.advance(Duration.ofSeconds(5));
    assertThat(starts).isEqualTo(seconds(0, 5));
  }

  @Test
  void runNow_thatOverrunsTheNextSlot_skipsIt() {
    loop.start(Duration.ZERO);
    clock.advance(Duration.ofSeconds(8));
    checkTakes = Duration.ofSeconds(5);
    loop.runNow(); // 8 s to 13 s: slot 10 s has begun, so the next is 20 s
    checkTakes = Duration.ZERO;
    clock.advance(Duration.ofSeconds(12));
    assertThat(starts).isEqualTo(seconds(0, 8, 20));
  }

  @Test
  void stop_nothingRunsAfterwards() {
    loop.start(Duration.ZERO);
    clock.advance(Duration.ofSeconds(10));
    loop.stop();
    loop.runNow();
    clock.advance(Duration.ofSeconds(100));
    assertThat(starts).isEqualTo(seconds(0, 10));
    assertThat(clock.pending()).isZero();
  }

  @Test
  void failingIteration_isLoggedAndTheLoopGoesOn() {
    List<Duration> runs = new ArrayList<>();
    ServiceLoop crashing = new ServiceLoop("svc", INTERVAL, clock,
        ServiceLoop.onExecutor("svc", executor, () -> {
          runs.add(clock.elapsed());
          throw new IllegalStateException("bug");
        }));
    crashing.start(Duration.ZERO);
    clock.advance(Duration.ofSeconds(20));
    assertThat(runs).isEqualTo(seconds(0, 10, 20));
  }

  @Test
  void rejectedByAClosedExecutor_stopsQuietly() {
    executor.shutdown();
    loop.start(Duration.ZERO);
    clock.advance(Duration.ofSeconds(30));
    assertThat(starts).isEmpty();
  }

  /** What the BIRD side's hold asks: the check a loop owes, by when it was due. */
  @Test
  void dueChecks_countTheOwedCheckFromItsSlot_untilItFinishes_thenTheNextSlotIsNotYetDue() {
    DueChecks due = new DueChecks();
    HeldExecutor held = new HeldExecutor().holding(true);
    ServiceLoop owing = new ServiceLoop("svc", INTERVAL, clock,
        ServiceLoop.onExecutor("svc", held, () -> {}), due.register(), new SlotCounter());
    owing.start(Duration.ofSeconds(1));
    long slot = clock.nanoTime() + Duration.ofSeconds(1).toNanos();
    assertThat(due.dueBy(clock.nanoTime())).as("armed for a later slot").isZero();
    assertThat(due.dueBy(slot)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2)); // the slot fired; its check has not run yet
    assertThat(due.dueBy(clock.nanoTime())).as("started late, still owed").isEqualTo(1);
    held.release();
    assertThat(due.dueBy(clock.nanoTime())).as("done; the next slot is 9 s away").isZero();
    owing.runNow();
    assertThat(due.dueBy(clock.nanoTime())).as("an extra run is due now").isEqualTo(1);
    owing.stop();
    assertThat(due.dueBy(Long.MAX_VALUE - 1)).as("a stopped loop owes nothing").isZero();
  }

  /** An iteration that ends only when the test says so: a check in flight on a reactor. */
  private final List<Runnable> inFlight = new ArrayList<>();
  private final SlotCounter counter = new SlotCounter();
  private final ServiceLoop callback = new ServiceLoop("svc", INTERVAL, clock, done -> {
    starts.add(clock.elapsed());
    inFlight.add(done);
  }, new DueChecks().register(), counter);

  @Test
  void overload_slotsPassingWhileARunIsInFlight_areSkippedAndCounted_neverQueued() {
    callback.start(Duration.ZERO);
    clock.advance(Duration.ofSeconds(35)); // slot 0 begins; 10, 20 and 30 s pass while it runs
    assertThat(inFlight).as("one run in flight, nothing queued").hasSize(1);
    assertThat(clock.pending()).isZero();
    inFlight.removeFirst().run(); // it ends at 35 s
    clock.advance(Duration.ofSeconds(5));
    assertThat(starts).isEqualTo(seconds(0, 40));
    assertThat(callback.slots()).isEqualTo(new SlotCounts("svc", 2, 0, 3, Duration.ZERO));
  }

  @Test
  void lateTimer_countsTheSlotLate_andItsLateness() {
    callback.start(Duration.ZERO);
    clock.elapse(Duration.ofMillis(150)); // the timer thread was busy: slot 0 fires 150 ms late
    clock.advance(Duration.ZERO);
    inFlight.removeFirst().run();
    clock.advance(Duration.ofSeconds(10)); // slot 1 on time
    inFlight.removeFirst().run();
    assertThat(callback.slots()).isEqualTo(
        new SlotCounts("svc", 2, 1, 0, Duration.ofMillis(150)));
  }

  @Test
  void lateByLessThanTheLimit_isNotLate_butItsLatenessCounts() {
    callback.start(Duration.ZERO);
    clock.elapse(Duration.ofMillis(100));
    clock.advance(Duration.ZERO);
    assertThat(callback.slots()).isEqualTo(
        new SlotCounts("svc", 1, 0, 0, Duration.ofMillis(100)));
  }

  @Test
  void runNow_isNotASlot_andAnArmedSlotItOverranIsSkipped() {
    callback.start(Duration.ofSeconds(5));
    callback.runNow();
    clock.advance(Duration.ofSeconds(6)); // slot 0 (5 s) passes while the extra run is in flight
    inFlight.removeFirst().run();
    assertThat(callback.slots()).isEqualTo(new SlotCounts("svc", 0, 0, 1, Duration.ZERO));
  }

  @Test
  void doneCalledTwice_endsTheRunOnce() {
    callback.start(Duration.ZERO);
    clock.advance(Duration.ZERO);
    Runnable done = inFlight.removeFirst();
    done.run();
    clock.advance(Duration.ofSeconds(10)); // slot 1 begins
    done.run(); // a stale second call must not end slot 1's run
    clock.advance(Duration.ofSeconds(10));
    assertThat(inFlight).hasSize(1);
    assertThat(starts).isEqualTo(seconds(0, 10));
  }

  @Test
  void beginThatThrows_isLogged_andTheNextSlotRuns() {
    ServiceLoop throwing = new ServiceLoop("svc", INTERVAL, clock, done -> {
      starts.add(clock.elapsed());
      throw new IllegalStateException("bug");
    });
    throwing.start(Duration.ZERO);
    clock.advance(Duration.ofSeconds(20));
    assertThat(starts).isEqualTo(seconds(0, 10, 20));
  }
}
