package net.anycast.healthchecker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a check sees of its surroundings when started by one {@code posix_spawnp}, and what the
 * daemon keeps of it afterwards (descriptors, zombies).
 */
@Timeout(60)
class PosixSpawnerTest {
  private static final Duration LONG = Duration.ofSeconds(10);
  private final ProcessRunner runner = new ProcessRunner(SpawnMethod.POSIX_SPAWN, pid -> {});

  @BeforeEach
  void linked() {
    assertThat(SpawnMethod.POSIX_SPAWN.available()).as("posix_spawn linked on this Linux").isTrue();
    assertThat(SpawnMethod.preferred()).isEqualTo(SpawnMethod.POSIX_SPAWN);
  }

  @Test
  void child_hasOnlyStdinStdoutStderr_stdinIsDevNull() throws Exception {
    // Looked at from outside while it sleeps: a shell listing its own descriptors races with
    // the pipes it makes for its own children.
    long pid = sleeping();
    Path fds = Path.of("/proc/" + pid + "/fd");
    List<String> lines = new ArrayList<>();
    try (Stream<Path> s = Files.list(fds)) {
      for (Path fd : s.sorted((x, y) -> Integer.compare(number(x), number(y))).toList()) {
        lines.add(fd.getFileName() + " " + Files.readSymbolicLink(fd));
      }
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("0 /dev/null");
    assertThat(lines.get(1)).startsWith("1 pipe:");
    assertThat(lines.get(2)).startsWith("2 pipe:");
  }

  @Test
  void child_noSignalBlockedOrIgnored() throws Exception {
    // From outside too: a shell blocks signals while it waits for its own children.
    long pid = sleeping();
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    assertThat(status).contains("SigBlk:\t0000000000000000").contains("SigIgn:\t0000000000000000");
  }

  @Test
  void child_getsTheJvmEnvironmentAndWorkingDirectory() throws Exception {
    assertThat(stdout("echo \"$PATH\"; pwd").lines())
        .containsExactly(System.getenv("PATH"), Path.of("").toAbsolutePath().toString());
  }

  @Test
  void child_inItsOwnSession() throws Exception {
    String[] ids = stdout("ps -o pid=,pgid=,sid= -p $$").trim().split("\\s+");
    assertThat(ids[1]).isEqualTo(ids[0]);
    assertThat(ids[2]).isEqualTo(ids[0]);
  }

  @Test
  void missingProgram_couldNotRun_namesTheError() throws Exception {
    ProcessResult r = runner.run(List.of("/nonexistent/check"), LONG);
    assertThat(r)
        .isInstanceOfSatisfying(
            ProcessResult.CouldNotRun.class,
            c -> assertThat(c.reason()).isEqualTo("/nonexistent/check: No such file or directory"));
  }

  @Test
  void notExecutable_couldNotRun() throws Exception {
    Path file = Files.createTempFile("not-executable", ".sh");
    try {
      ProcessResult r = runner.run(List.of(file.toString()), LONG);
      assertThat(r)
          .isInstanceOfSatisfying(
              ProcessResult.CouldNotRun.class,
              c -> assertThat(c.reason()).isEqualTo(file + ": Permission denied"));
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void scriptWithoutInterpreterLine_couldNotRun_likeTheOriginal() throws Exception {
    // execvp would hand it to /bin/sh; Python's subprocess (the original) and posix_spawn do not.
    Path script = Files.createTempFile("no-shebang", ".sh");
    try {
      Files.writeString(script, "exit 0\n");
      script.toFile().setExecutable(true);
      ProcessResult r = runner.run(List.of(script.toString()), LONG);
      assertThat(r)
          .isInstanceOfSatisfying(
              ProcessResult.CouldNotRun.class,
              c -> assertThat(c.reason()).isEqualTo(script + ": Exec format error"));
    } finally {
      Files.delete(script);
    }
  }

  @Test
  void programOnPath_isFoundLikeExecvp() throws Exception {
    assertThat(runner.run(List.of("true"), LONG))
        .isInstanceOfSatisfying(
            ProcessResult.Exited.class, e -> assertThat(e.exitCode()).isZero());
  }

  @Test
  void killedBySignal_exitCodeIs128PlusSignal() throws Exception {
    ProcessResult r = runner.run(List.of("sh", "-c", "kill -9 $$"), LONG);
    assertThat(r)
        .isInstanceOfSatisfying(
            ProcessResult.Exited.class, e -> assertThat(e.exitCode()).isEqualTo(137));
  }

  @Test
  void outputLongerThanThePipe_isReadWhileTheChildWrites() throws Exception {
    // 1 MiB on both streams: a reader that waited for the exit first would deadlock here.
    String script = "head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2; exit 4";
    ProcessResult r = runner.run(List.of("sh", "-c", script), LONG);
    assertThat(r)
        .isInstanceOfSatisfying(
            ProcessResult.Exited.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(4);
              assertThat(e.stdout().droppedBytes()).isEqualTo(1048576 - CapturedOutput.LIMIT);
              assertThat(e.stderr().droppedBytes()).isEqualTo(1048576 - CapturedOutput.LIMIT);
            });
  }

  @Test
  void manyConcurrentRuns_allReaped_noDescriptorLeft() throws Exception {
    int before = openDescriptors();
    List<Future<ProcessResult>> runs = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 300; i++) {
        int code = i % 3;
        runs.add(pool.submit(() -> runner.run(List.of("sh", "-c", "echo " + code + "; exit " + code), LONG)));
      }
    }
    for (int i = 0; i < runs.size(); i++) {
      int code = i % 3;
      assertThat(runs.get(i).get())
          .isInstanceOfSatisfying(
              ProcessResult.Exited.class,
              e -> {
                assertThat(e.exitCode()).isEqualTo(code);
                assertThat(e.stdout().text()).isEqualTo(code + "\n");
              });
    }
    PosixSpawner spawner = PosixSpawner.instance().orElseThrow();
    await().atMost(Duration.ofSeconds(5)).until(() -> spawner.watched() == 0);
    // Other tests of this JVM may open files meanwhile: allow a little slack, not 900 pipes.
    assertThat(openDescriptors()).isLessThan(before + 20);
    assertThat(zombieChildren()).isZero();
  }

  @Test
  void childTheReactorCannotWatch_isKilledReapedAndReported() throws Exception {
    PosixSpawner spawner = PosixSpawner.instance().orElseThrow();
    Child started = spawner.start(List.of("sleep", "100"), System.getenv());
    NativeChild real = (NativeChild) started;
    // A copy of the running child whose stderr descriptor does not exist: epoll_ctl refuses it.
    LinuxCalls calls = spawner.calls();
    int[] pipe = calls.pipe();
    calls.close(pipe[1]);
    NativeChild broken = new NativeChild(calls, (int) real.pid(), pipe[0], 1_000_000);
    spawner.reactor().watch(broken);
    assertThat(broken.awaitEnd(System.nanoTime() + LONG.toNanos())).isTrue();
    assertThat(broken.result(Duration.ZERO))
        .isInstanceOfSatisfying(
            ProcessResult.CouldNotRun.class,
            c -> assertThat(c.reason()).startsWith("cannot watch the process: epoll_ctl: Bad file"));
    // The process was killed and reaped by the abandoning reactor; the first watch ends too.
    assertThat(started.awaitEnd(System.nanoTime() + LONG.toNanos())).isTrue();
    assertThat(ProcessHandle.of(real.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  /**
   * Regression: a check spawned on another thread holds copies of every descriptor of the JVM
   * from its clone until its close_range, and epoll forgets a descriptor only when its last copy
   * is closed. The reactor used to close a finished child's descriptors without taking them out
   * of the epoll set first, and then woke up thousands of times a second for them.
   */
  @Test
  void finishedChild_whoseDescriptorLivesOnElsewhere_wakesTheReactorNoMore() throws Throwable {
    PosixSpawner spawner = PosixSpawner.instance().orElseThrow();
    NativeChild child = (NativeChild) spawner.start(List.of("sleep", "0.2"),
        System.getenv());
    var linker = java.lang.foreign.Linker.nativeLinker();
    var dup = linker.downcallHandle(linker.defaultLookup().find("dup").orElseThrow(),
        java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT,
            java.lang.foreign.ValueLayout.JAVA_INT));
    int copy = (int) dup.invokeExact(child.stdoutFd); // what a concurrent spawn holds
    try {
      assertThat(child.awaitEnd(System.nanoTime() + LONG.toNanos())).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> spawner.watched() == 0);
      long before = spawner.reactor().wakeups();
      Thread.sleep(300);
      assertThat(spawner.reactor().wakeups() - before).isLessThan(50);
    } finally {
      spawner.calls().close(copy);
    }
  }

  /**
   * Starts {@code sleep 30} (killed by a 2 s timeout) and returns its pid once it sleeps:
   * posix_spawn returns only after the exec, so the process is sleep by then.
   */
  private long sleeping() throws Exception {
    CompletableFuture<Long> pid = new CompletableFuture<>();
    ProcessRunner watched = new ProcessRunner(SpawnMethod.POSIX_SPAWN, pid::complete);
    Thread.ofVirtual().start(() -> {
      try {
        watched.run(List.of("sleep", "30"), Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    long running = pid.get(5, TimeUnit.SECONDS);
    // sleep opens and closes files of its own while it starts (locale): wait until it sleeps.
    Path wchan = Path.of("/proc/" + running + "/wchan");
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
        .until(() -> Files.readString(wchan).contains("nanosleep"));
    return running;
  }

  private static int number(Path fd) {
    return Integer.parseInt(fd.getFileName().toString());
  }

  private String stdout(String script) throws InterruptedException {
    ProcessResult r = runner.run(List.of("sh", "-c", script), LONG);
    assertThat(r).isInstanceOf(ProcessResult.Exited.class);
    return ((ProcessResult.Exited) r).stdout().text();
  }

  private static int openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    }
  }

  private static long zombieChildren() {
    return ProcessHandle.current()
        .children()
        .filter(
            h -> {
              try {
                String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
                return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
              } catch (IOException e) {
                return false;
              }
            })
        .count();
  }
}
