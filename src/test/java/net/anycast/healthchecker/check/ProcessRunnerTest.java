package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.anycast.healthchecker.process.CapturedOutput;
import net.anycast.healthchecker.process.ProcessGroupKillAccess;
import net.anycast.healthchecker.process.ProcessRunner;
import net.anycast.healthchecker.process.SpawnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real processes through {@link ProcessRunner}, as a check sees them ({@link CheckResult#of}):
 * exit codes, bounded output, and nothing left behind after a timeout.
 */
@Timeout(60)
@ParameterizedClass
@EnumSource(SpawnMethod.class)
class ProcessRunnerTest {
  private static final Duration SHORT = Duration.ofMillis(100);
  private static final Duration LONG = Duration.ofSeconds(10);

  private final Set<Long> started = ConcurrentHashMap.newKeySet();
  private final SpawnMethod method;
  private final ProcessRunner runner;

  ProcessRunnerTest(SpawnMethod method) {
    this.method = method;
    this.runner = new ProcessRunner(method, started::add);
  }

  @Test
  void run_true_passes() throws Exception {
    assertThat(run(List.of("true"), LONG)).isInstanceOf(CheckResult.Passed.class);
  }

  @Test
  void run_exitCode_failsWithItAndItsOutput() throws Exception {
    CheckResult r = run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), LONG);
    assertThat(r).isInstanceOfSatisfying(CheckResult.Exited.class, f -> {
      assertThat(f.code()).isEqualTo(3);
      assertThat(f.stdout().text()).isEqualTo("out\n");
      assertThat(f.stderr().text()).isEqualTo("err\n");
    });
  }

  @Test
  void run_runsInItsOwnSession_pidIsPgid() throws Exception {
    CheckResult r = run(List.of("sh", "-c", "ps -o pid=,pgid=,sid= -p $$; exit 1"), LONG);
    String[] ids = ((CheckResult.Exited) r).stdout().text().trim().split("\\s+");
    assertThat(ids[1]).isEqualTo(ids[0]);
    assertThat(ids[2]).isEqualTo(ids[0]);
  }

  @Test
  void run_missingExecutable_failsLikeAShell() throws Exception {
    CheckResult r = run(List.of("/nonexistent/check"), LONG);
    assertThat(r.exitCode()).hasValue(127);
  }

  @Test
  void run_noisyCheck_keepsFirst4KiBAndMarksTruncation() throws Exception {
    CheckResult r =
        run(List.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' a; exit 1"), LONG);
    CapturedOutput out = ((CheckResult.Exited) r).stdout();
    assertThat(out.text()).hasSize(4096).matches("a+");
    assertThat(out.droppedBytes()).isEqualTo(100000 - 4096);
    assertThat(out.toString()).endsWith("...[truncated, 95904 more bytes]");
  }

  @Test
  void run_fiftyTimeouts_leaveNoProcessBehind() throws Exception {
    assertThat(ProcessGroupKillAccess.available()).as("kill() linked through FFM").isTrue();
    long t0 = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      CheckResult r = run(List.of("sh", "-c", "sleep 100 & sleep 100"), SHORT);
      assertThat(r).isInstanceOf(CheckResult.TimedOut.class);
      assertThat(r.exitCode()).hasValue(126);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(started).hasSize(50);
    assertNothingAlive();
    assertThat(took).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void run_backgroundChildKeepsPipeOpen_timesOutAndIsKilled() throws Exception {
    CheckResult r = run(List.of("sh", "-c", "sleep 100 & exit 0"), Duration.ofMillis(300));
    assertThat(r).isInstanceOf(CheckResult.TimedOut.class);
    assertNothingAlive();
  }

  /**
   * The same after the command wrote and exited at once, repeated: the JDK drains and closes a
   * pipe nobody is reading when its child exits, which once let a held pipe look ended.
   */
  @Test
  void run_writesThenExitsWhileBackgroundChildHoldsPipe_timesOutEveryTime() throws Exception {
    for (int i = 0; i < 15; i++) {
      CheckResult r = run(List.of("sh", "-c", "echo started; sleep 100 & exit 0"), SHORT);
      assertThat(r).as("run %d", i).isInstanceOf(CheckResult.TimedOut.class);
    }
    assertNothingAlive();
  }

  @Test
  void run_childThatLeftTheGroup_isKilledAsDescendant(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("pid");
    String script = "setsid sleep 100 >/dev/null 2>&1 & echo $! > " + pidFile + "; sleep 100";
    CheckResult r = run(List.of("sh", "-c", script), Duration.ofMillis(500));
    assertThat(r).isInstanceOf(CheckResult.TimedOut.class);
    long escaped = Long.parseLong(Files.readString(pidFile).trim());
    // SIGKILL is delivered asynchronously: on a loaded machine the child may still be on a CPU
    // for a moment after kill() returned, so wait (bounded) for it to be gone or a zombie.
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
      ProcessTable.Entry e = ProcessTable.of(escaped);
      assertThat(e == null || e.zombie()).as("escaped child %s", e).isTrue();
    });
    assertNothingAlive();
  }

  @Test
  void run_interrupted_killsGroupAndRethrows() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    ProcessRunner signalling = new ProcessRunner(method, pid -> {
      started.add(pid);
      running.countDown();
    });
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = Thread.ofVirtual().start(() -> {
      try {
        signalling.run(List.of("sh", "-c", "sleep 100 & sleep 100"), LONG);
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    t.interrupt();
    assertThat(t.join(Duration.ofSeconds(10))).isTrue();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertNothingAlive();
  }

  private CheckResult run(List<String> argv, Duration timeout) throws InterruptedException {
    return CheckResult.of(runner.run(argv, timeout));
  }

  /**
   * Zombies are dead already: they wait for PID 1 (which here may not reap orphans). SIGKILL is
   * delivered asynchronously, so a killed orphan may still be running its exit for a moment on
   * a loaded machine: wait for it, bounded.
   */
  private void assertNothingAlive() throws Exception {
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
      List<ProcessTable.Entry> left = ProcessTable.inGroups(started);
      assertThat(left.stream().filter(e -> !e.zombie()).toList()).as("live processes left")
          .isEmpty();
    });
  }
}
