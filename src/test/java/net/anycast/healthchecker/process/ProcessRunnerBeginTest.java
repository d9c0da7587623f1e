package net.anycast.healthchecker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.anycast.healthchecker.check.ProcessTableAccess;
import net.anycast.healthchecker.reactor.Reactor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes begun without a thread waiting for them ({@link ProcessRunner#begin}): the
 * result comes from the thread that watches check processes, a timeout kills the whole group
 * (and descendants that left it) before the result is reported, and the daemon's close kills
 * what is still running. Bounds are generous and only keep a bug from hanging the suite.
 */
@Timeout(60)
class ProcessRunnerBeginTest {
  private final Set<Long> started = ConcurrentHashMap.newKeySet();
  private final ProcessRunner runner = new ProcessRunner(SpawnMethod.POSIX_SPAWN, started::add);
  private final Reactor home = Reactor.start("check-reactor-begin-test", System::nanoTime);

  @TempDir Path dir;

  @AfterEach
  void close() {
    runner.stopAll(Duration.ofSeconds(5));
    home.close();
  }

  /** What begin reported, and on which thread. */
  private record Reported(ProcessResult result, String thread) {}

  private CompletableFuture<Reported> begin(List<String> argv, Duration timeout) {
    CompletableFuture<Reported> f = new CompletableFuture<>();
    home.execute(() -> runner.begin(argv, timeout, home,
        r -> f.complete(new Reported(r, Thread.currentThread().getName()))));
    return f;
  }

  @Test
  void beginsWithoutThread_onlyForPosixSpawnAndNoGrace() {
    assertThat(runner.beginsWithoutThread()).isTrue();
    assertThat(new ProcessRunner(SpawnMethod.JDK, pid -> { }).beginsWithoutThread()).isFalse();
    assertThat(runner.terminatingFirst(Duration.ofSeconds(1)).beginsWithoutThread()).isFalse();
  }

  @Test
  void exit_reportsCodeAndOutput_fromTheThreadWatchingProcesses() throws Exception {
    // The pause lets the run be handed to the watch before the command ends; one that ended
    // first is reported at once on the home thread (whenEnded), which the next test shows.
    Reported r = begin(List.of("sh", "-c", "sleep 0.5; echo out; echo err >&2; exit 3"),
        Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    assertThat(r.result()).isInstanceOfSatisfying(ProcessResult.Exited.class, e -> {
      assertThat(e.exitCode()).isEqualTo(3);
      assertThat(e.stdout().text()).isEqualTo("out\n");
      assertThat(e.stderr().text()).isEqualTo("err\n");
    });
    assertThat(r.thread()).isEqualTo("process-reactor");
  }

  @Test
  void endedBeforeTheWatchWasAsked_isReportedAtOnce_withItsResult() throws Exception {
    // No pause: the command often ends before the run asks to hear of its end. Either way the
    // result is the command's, reported once, by the watch or at once by the home thread.
    for (int i = 0; i < 20; i++) {
      Reported r = begin(List.of("true"), Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
      assertThat(r.result()).isInstanceOfSatisfying(ProcessResult.Exited.class,
          e -> assertThat(e.exitCode()).isZero());
      assertThat(r.thread()).isIn("process-reactor", "check-reactor-begin-test");
    }
  }

  @Test
  void timeout_killsTheGroupAndEscapedDescendants_beforeReporting() throws Exception {
    // The second sleep leaves the group (setsid) but stays a descendant: killed all the same.
    Reported r = begin(List.of("sh", "-c", "setsid sleep 100 & sleep 100 & sleep 100"),
        Duration.ofMillis(300)).get(20, TimeUnit.SECONDS);
    assertThat(r.result()).isInstanceOf(ProcessResult.TimedOut.class);
    assertThat(r.result().took()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    // Reported only once the leader was reaped: nothing of its group is left by then but
    // grandchildren the kernel has not yet run to their death.
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .untilAsserted(() -> assertThat(ProcessTableAccess.liveInGroups(started)).isEmpty());
  }

  @Test
  void missingProgram_isReportedAsNotRun_onTheHomeThread() throws Exception {
    Reported r = begin(List.of(dir.resolve("no-such-check").toString()), Duration.ofSeconds(5))
        .get(20, TimeUnit.SECONDS);
    assertThat(r.result()).isInstanceOfSatisfying(ProcessResult.CouldNotRun.class,
        c -> assertThat(c.reason()).contains("no-such-check"));
    assertThat(r.thread()).isEqualTo("check-reactor-begin-test");
  }

  @Test
  void stopAll_killsWhatIsStillRunning_andDropsTheirResults() throws Exception {
    CompletableFuture<Reported> a = begin(List.of("sleep", "100"), Duration.ofMinutes(5));
    CompletableFuture<Reported> b = begin(List.of("sh", "-c", "sleep 100 & wait"),
        Duration.ofMinutes(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 2);
    assertThat(runner.stopAll(Duration.ofSeconds(10))).isZero(); // both reaped
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .untilAsserted(() -> assertThat(ProcessTableAccess.liveInGroups(started)).isEmpty());
    // A check killed by the daemon's own stop says nothing about its service.
    assertThat(a).isNotDone();
    assertThat(b).isNotDone();
  }

  @Test
  void endAndDeadlineRacing_reportEachRunExactlyOnce() throws Exception {
    // A deadline about as long as the run: the end and the deadline meet on two threads.
    int runs = 40;
    AtomicInteger reports = new AtomicInteger();
    Map<Integer, AtomicInteger> perRun = new ConcurrentHashMap<>();
    CompletableFuture<?>[] all = new CompletableFuture<?>[runs];
    for (int i = 0; i < runs; i++) {
      int id = i;
      CompletableFuture<Void> f = new CompletableFuture<>();
      all[i] = f;
      home.execute(() -> runner.begin(List.of("true"), Duration.ofNanos(200_000L * (id % 8)),
          home, r -> {
            reports.incrementAndGet();
            perRun.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            f.complete(null);
          }));
    }
    CompletableFuture.allOf(all).get(30, TimeUnit.SECONDS);
    // Every deadline (at most 1.4 ms) has passed by now: a second report would have come.
    home.execute(() -> { });
    CompletableFuture<Void> turn = new CompletableFuture<>();
    home.execute(() -> turn.complete(null));
    turn.get(10, TimeUnit.SECONDS);
    assertThat(reports).hasValue(runs);
    assertThat(perRun.values()).allSatisfy(n -> assertThat(n).hasValue(1));
  }

  @Test
  void begin_offTheHomeThread_isRefused() {
    assertThatIllegalStateException().isThrownBy(
        () -> runner.begin(List.of("true"), Duration.ofSeconds(1), home, r -> { }));
  }

  @Test
  void whenEnded_ofAJdkChild_runsOnceItEnded_andAtOnceAfterwards() throws Exception {
    Child child = new JdkSpawner().start(List.of("sh", "-c", "echo hi"), System.getenv());
    CompletableFuture<Boolean> ended = new CompletableFuture<>();
    child.whenEnded(() -> ended.complete(child.ended()));
    assertThat(ended.get(20, TimeUnit.SECONDS)).isTrue();
    AtomicInteger later = new AtomicInteger();
    CompletableFuture<Void> again = new CompletableFuture<>();
    child.whenEnded(() -> {
      later.incrementAndGet();
      again.complete(null);
    });
    again.get(20, TimeUnit.SECONDS);
    assertThat(later).hasValue(1);
  }
}
