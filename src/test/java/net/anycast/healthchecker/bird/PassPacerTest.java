package net.anycast.healthchecker.bird;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When passes run, with a manual clock and scripted pass outcomes. */
class PassPacerTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final OwedChecks owed = new OwedChecks();
  private final Deque<PassPacer.Outcome> outcomes = new ArrayDeque<>();
  private int passes;
  private Runnable duringPass = () -> {};

  private PassPacer pacer(Holdoff holdoff) {
    return new PassPacer(() -> {
      passes++;
      duringPass.run();
      return outcomes.isEmpty() ? PassPacer.Outcome.IN_SYNC : outcomes.poll();
    }, scheduler, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5)), holdoff,
        owed::dueBy);
  }

  @Test
  void wake_whenIdle_runsOnePassAtOnce() {
    PassPacer p = pacer(Holdoff.NONE);
    p.wake();
    scheduler.runDue();
    assertThat(passes).isEqualTo(1);
    assertThat(scheduler.nextDelay()).as("nothing more is scheduled").isNull();
  }

  @Test
  void wakesDuringAPass_foldIntoOneNextPass() {
    PassPacer p = pacer(Holdoff.NONE);
    duringPass = () -> {
      if (passes == 1) {
        p.wake();
        p.wake();
        p.wake();
      }
    };
    p.wake();
    scheduler.runDue();
    assertThat(passes).isEqualTo(2);
  }

  @Test
  void failures_retryWithGrowingDelays_andAWakeRetriesAtOnce() {
    PassPacer p = pacer(Holdoff.NONE);
    outcomes.addAll(List.of(PassPacer.Outcome.FAILED, PassPacer.Outcome.FAILED));
    p.wake();
    scheduler.runDue();
    assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(200));
    scheduler.advance(Duration.ofMillis(200));
    assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofMillis(400));
    p.wake(); // a new change does not wait for the backoff
    scheduler.runDue();
    assertThat(passes).isEqualTo(3);
    scheduler.advance(Duration.ofSeconds(10)); // the stale retry finds nothing to do
    assertThat(passes).isEqualTo(3);
  }

  @Test
  void afterAReconfigure_holdsWhileChecksRun_thenRunsOncePromptly() {
    PassPacer p = pacer(new Holdoff(Duration.ofSeconds(1)));
    for (int i = 0; i < 50; i++) {
      owed.due(scheduler.nanoTime());
    }
    outcomes.add(PassPacer.Outcome.RECONFIGURED);
    p.wake();
    scheduler.runDue();
    assertThat(passes).isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      p.wake();
      scheduler.advance(Duration.ofMillis(30));
    }
    assertThat(passes).as("held: checks still run").isEqualTo(1);
    assertThat(p.progress(scheduler.nanoTime())).as("holding is not being stuck")
        .isEqualTo(scheduler.nanoTime());
    for (int i = 0; i < 50; i++) {
      owed.finished();
    }
    scheduler.advance(Holdoff.POLL);
    assertThat(passes).isEqualTo(2);
  }

  /** Issue 15: the next slot's checks ran throughout a burst, and every hold lasted 1 s. */
  @Test
  void aHold_waitsOnlyForChecksDueWhenItBegan_notForTheNextSlotsChecks() {
    PassPacer p = pacer(new Holdoff(Duration.ofSeconds(1)));
    owed.due(scheduler.nanoTime()); // one check of the burst's slot still runs
    outcomes.add(PassPacer.Outcome.RECONFIGURED);
    p.wake();
    scheduler.runDue();
    scheduler.advance(Duration.ofMillis(100));
    for (int i = 0; i < 300; i++) { // the next slot's checks start: they do not hold the pass
      owed.due(scheduler.nanoTime());
    }
    p.wake(); // a result of the burst
    scheduler.advance(Duration.ofMillis(100));
    assertThat(passes).as("the burst's own check still runs").isEqualTo(1);
    owed.finished(); // the burst's last check
    scheduler.advance(Holdoff.POLL);
    assertThat(passes).as("300 checks of a later slot run, yet the pass is not held").isEqualTo(2);
  }

  /**
   * Issue 15: on a machine at its exec limit the slot's checks run late, so some check due by
   * the hold's start is always left; the burst's last result, just after a pass, waited the whole
   * maximum (the peer 1.9 s after the last decisive check).
   */
  @Test
  void aHeldChange_goesOutOnceNoFurtherChangeCameForQuiet_thoughChecksAreStillDue() {
    PassPacer p = pacer(new Holdoff(Duration.ofSeconds(1), Duration.ofMillis(250)));
    for (int i = 0; i < 100; i++) { // late checks of the slot: due, not finished for seconds
      owed.due(scheduler.nanoTime());
    }
    outcomes.add(PassPacer.Outcome.RECONFIGURED);
    p.wake();
    scheduler.runDue();
    for (int i = 0; i < 10; i++) { // results 40 ms apart: one burst, gathered
      scheduler.advance(Duration.ofMillis(40));
      p.wake();
    }
    assertThat(passes).as("results keep coming: held").isEqualTo(1);
    scheduler.advance(Duration.ofMillis(245));
    assertThat(passes).as("the last result is 245 ms old").isEqualTo(1);
    scheduler.advance(Duration.ofMillis(10));
    assertThat(passes).as("250 ms quiet, 655 ms into a 1 s hold").isEqualTo(2);
  }

  @Test
  void aHoldWithNothingPending_isNotEndedByQuiet_andStillGathersALateResult() {
    PassPacer p = pacer(new Holdoff(Duration.ofSeconds(1), Duration.ofMillis(250)));
    owed.due(scheduler.nanoTime());
    outcomes.add(PassPacer.Outcome.RECONFIGURED);
    p.wake();
    scheduler.runDue();
    scheduler.advance(Duration.ofMillis(600)); // quiet, but no change is held
    p.wake();
    scheduler.advance(Duration.ofMillis(200));
    assertThat(passes).as("the change waits for its own quiet").isEqualTo(1);
    scheduler.advance(Duration.ofMillis(60));
    assertThat(passes).isEqualTo(2);
  }

  @Test
  void aHold_endsAtItsMaximumEvenWhileChecksRun() {
    PassPacer p = pacer(new Holdoff(Duration.ofMillis(300)));
    owed.due(scheduler.nanoTime());
    outcomes.add(PassPacer.Outcome.RECONFIGURED);
    p.wake();
    scheduler.runDue();
    p.wake();
    scheduler.advance(Duration.ofMillis(295));
    assertThat(passes).isEqualTo(1);
    scheduler.advance(Duration.ofMillis(10));
    assertThat(passes).isEqualTo(2);
  }

  @Test
  void aHoldWithNothingNew_returnsToIdle_andTheNextChangeRunsAtOnce() {
    PassPacer p = pacer(new Holdoff(Duration.ofSeconds(1)));
    outcomes.add(PassPacer.Outcome.RECONFIGURED);
    p.wake();
    scheduler.runDue();
    scheduler.advance(Holdoff.POLL); // no check runs: the hold ends, nothing pending
    assertThat(scheduler.nextDelay()).isNull();
    p.wake();
    scheduler.runDue();
    assertThat(passes).isEqualTo(2);
  }

  @Test
  void close_stopsFurtherPasses() {
    PassPacer p = pacer(Holdoff.NONE);
    outcomes.add(PassPacer.Outcome.FAILED);
    p.wake();
    scheduler.runDue();
    p.close();
    scheduler.advance(Duration.ofSeconds(10));
    p.wake();
    scheduler.runDue();
    assertThat(passes).isEqualTo(1);
  }
}
