package net.anycast.healthchecker.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import net.anycast.healthchecker.daemon.LoopProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NagiosCheckTest {
  @TempDir Path dir;

  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration EVERY = Duration.ofSeconds(5);
  private static final LoopProgress FOO =
      new LoopProgress("foo.bar.com", T.minusSeconds(3), Duration.ofSeconds(34));
  private static final LoopProgress ODD =
      new LoopProgress("we\tird = name", T.minusSeconds(1), Duration.ofSeconds(34));
  private static final LoopProgress RECONCILER =
      new LoopProgress(LoopProgress.RECONCILER, T, Duration.ofSeconds(60));

  private Path pidfile() throws Exception {
    Path p = dir.resolve("anycast-healthchecker.pid");
    Files.writeString(p, "4242");
    return p;
  }

  private NagiosCheck.Result check(Instant now) throws Exception {
    return NagiosCheck.run(pidfile(), dir.resolve("anycast-healthchecker.status"), () -> now,
        pid -> pid == 4242);
  }

  private void status(LoopProgress... loops) throws Exception {
    StatusFile.write(dir.resolve("anycast-healthchecker.status"),
        new StatusFile.Status(4242, T, EVERY, List.of(loops)));
  }

  @Test
  void statusFile_renderParse_roundTrips_andSitsBesidePidfile() {
    StatusFile.Status s = new StatusFile.Status(4242, T, EVERY, List.of(FOO, ODD, RECONCILER));
    assertThat(StatusFile.parse(StatusFile.render(s))).isEqualTo(s);
    assertThat(StatusFile.besidePidfile(Path.of("/var/run/anycast-healthchecker/anycast-healthchecker.pid")))
        .isEqualTo(Path.of("/var/run/anycast-healthchecker/anycast-healthchecker.status"));
  }

  @Test
  void allLoopsAlive_isOk() throws Exception {
    status(FOO, ODD, RECONCILER);
    NagiosCheck.Result r = check(T.plusSeconds(2));
    assertThat(r.exitCode()).isZero();
    assertThat(r.line()).isEqualTo("OK - anycast-healthchecker (pid 4242) is running and all 3"
        + " loops are alive | loops=3 stalled=0 status_age=2.0s");
  }

  @Test
  void stuckLoop_isCritical_namingIt() throws Exception {
    status(new LoopProgress("foo.bar.com", T.minusSeconds(40), Duration.ofSeconds(34)), RECONCILER);
    NagiosCheck.Result r = check(T.plusSeconds(1));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.line()).startsWith("CRITICAL - 1 of 2 loops of anycast-healthchecker (pid 4242)"
        + " are stuck: foo.bar.com (no progress for 41.0s, allowed 34.0s)");
  }

  @Test
  void statusNotRefreshed_warnsThenCritical() throws Exception {
    status(RECONCILER);
    assertThat(check(T.plusSeconds(11)).exitCode()).isEqualTo(1);
    assertThat(check(T.plusSeconds(11)).line()).startsWith("WARNING - ");
    NagiosCheck.Result r = check(T.plusSeconds(26));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.line()).startsWith("CRITICAL - anycast-healthchecker (pid 4242) has not updated"
        + " its status for 26.0s (expected every 5.0s)");
  }

  @Test
  void noPidfile_isCritical_notRunning_isCritical_garbage_isUnknown() throws Exception {
    Path missing = dir.resolve("none.pid");
    assertThat(NagiosCheck.run(missing, dir.resolve("none.status"), () -> T, pid -> true))
        .isEqualTo(new NagiosCheck.Result(2, "CRITICAL - anycast-healthchecker could be down as"
            + " pidfile " + missing + " doesn't exist"));
    status(RECONCILER);
    assertThat(NagiosCheck.run(pidfile(), dir.resolve("anycast-healthchecker.status"), () -> T,
            pid -> false))
        .isEqualTo(new NagiosCheck.Result(2,
            "CRITICAL - anycast-healthchecker with pid 4242 isn't running"));
    Files.writeString(pidfile(), "junk");
    Path p = dir.resolve("anycast-healthchecker.pid");
    Files.writeString(p, "junk");
    assertThat(NagiosCheck.run(p, dir.resolve("x"), () -> T, pid -> true).exitCode()).isEqualTo(3);
  }

  @Test
  void missingOrForeignStatus_isUnknown() throws Exception {
    assertThat(check(T).line()).startsWith("UNKNOWN - anycast-healthchecker (pid 4242) runs but"
        + " status file ");
    StatusFile.write(dir.resolve("anycast-healthchecker.status"),
        new StatusFile.Status(999, T, EVERY, List.of()));
    assertThat(check(T)).isEqualTo(new NagiosCheck.Result(3,
        "UNKNOWN - status file was written by pid 999 but the pidfile names pid 4242"));
    Files.writeString(dir.resolve("anycast-healthchecker.status"), "pid=oops\n");
    assertThat(check(T).line()).startsWith("UNKNOWN - cannot read status file ");
  }

  @Test
  void schedule_writesStatusOfThisProcess() throws Exception {
    Path file = dir.resolve("s.status");
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      StatusFile.schedule(scheduler, file, Duration.ofSeconds(60),
          () -> new StatusFile.Facts(List.of(RECONCILER),
              List.of(new StatusFile.ServiceLine("foo", "up")),
              List.of(new StatusFile.BirdLine("IPv4", "failing", "exit 1")), List.of()),
          () -> T);
      org.awaitility.Awaitility.await().until(() -> Files.exists(file));
    } finally {
      scheduler.shutdownNow();
    }
    StatusFile.Status s = StatusFile.read(file);
    assertThat(s.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(s.loops()).containsExactly(RECONCILER);
    assertThat(s.services()).containsExactly(new StatusFile.ServiceLine("foo", "up"));
    assertThat(s.bird()).containsExactly(new StatusFile.BirdLine("IPv4", "failing", "exit 1"));
  }

  @Test
  void statusFileWrite_symlinkAtTheTempName_orAsTheFile_isNeverWrittenThrough() throws Exception {
    java.nio.file.Path victim = java.nio.file.Files.writeString(dir.resolve("victim"), "precious");
    java.nio.file.Path file = dir.resolve("anycast-healthchecker.status");
    java.nio.file.Files.createSymbolicLink(dir.resolve(".anycast-healthchecker.status.tmp"), victim);
    StatusFile.write(file, new StatusFile.Status(999, T, EVERY, List.of()));
    assertThat(java.nio.file.Files.readString(victim)).isEqualTo("precious");
    java.nio.file.Files.delete(file);
    java.nio.file.Files.createSymbolicLink(file, victim);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> StatusFile.write(file, new StatusFile.Status(999, T, EVERY, List.of())))
        .hasMessageContaining("symbolic link");
    assertThat(java.nio.file.Files.readString(victim)).isEqualTo("precious");
  }
}
