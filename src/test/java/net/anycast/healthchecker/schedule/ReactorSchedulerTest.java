package net.anycast.healthchecker.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.anycast.healthchecker.reactor.Reactor;
import net.anycast.healthchecker.reactor.Reactors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slots as reactor timers, on a clock the test moves; waits only for what the reactor did. */
class ReactorSchedulerTest {
  private final AtomicLong now = new AtomicLong(5_000);
  private final Reactors reactors = Reactors.start(2, now::get);
  private final ReactorScheduler scheduler = new ReactorScheduler(reactors);

  @AfterEach
  void close() {
    scheduler.close();
  }

  /** Waits until every reactor ran what it was handed, then moves the clock and pokes them. */
  private void advanceTo(long nanos) throws Exception {
    for (Reactor r : reactors.all()) {
      CompletableFuture<Void> turned = new CompletableFuture<>();
      r.execute(() -> turned.complete(null));
      turned.get(10, TimeUnit.SECONDS);
    }
    now.set(nanos);
    reactors.all().forEach(r -> r.execute(() -> {}));
  }

  @Test
  void aServicesSlot_firesOnTheReactorOfItsChecks_onceDue() throws Exception {
    Scheduler svc = scheduler.of("svc-7");
    CompletableFuture<String> fired = new CompletableFuture<>();
    svc.schedule(6_000, () -> fired.complete(Thread.currentThread().getName()));
    advanceTo(5_999);
    assertThat(fired).isNotDone();
    advanceTo(6_000);
    CompletableFuture<String> expected = new CompletableFuture<>();
    reactors.of("svc-7").execute(() -> expected.complete(Thread.currentThread().getName()));
    assertThat(fired.get(10, TimeUnit.SECONDS)).isEqualTo(expected.get(10, TimeUnit.SECONDS));
    assertThat(svc.nanoTime()).isEqualTo(6_000);
  }

  @Test
  void cancelledFromAnotherThread_neverFires() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    Scheduler.Scheduled s = scheduler.of("svc").schedule(6_000, () -> ran.add("no"));
    s.cancel();
    advanceTo(7_000);
    advanceTo(8_000);
    assertThat(ran).isEmpty();
  }

  @Test
  void close_ofAServicesView_leavesTheReactorsRunning_theOwnersStopsThem() throws Exception {
    scheduler.of("svc").close();
    CompletableFuture<Void> alive = new CompletableFuture<>();
    reactors.of("svc").execute(() -> alive.complete(null));
    alive.get(10, TimeUnit.SECONDS);
    scheduler.close();
    List<String> ran = new CopyOnWriteArrayList<>();
    reactors.of("svc").execute(() -> ran.add("after close"));
    assertThat(ran).isEmpty();
  }
}
