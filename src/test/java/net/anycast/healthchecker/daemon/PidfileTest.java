package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidfileTest {
  @TempDir Path dir;
  private final List<String> notes = new ArrayList<>();
  private static final LongPredicate ONLY_777_RUNS = pid -> pid == 777;

  @Test
  void decide_table() {
    assertThat(Pidfile.decide(null, 100, ONLY_777_RUNS)).isEqualTo(new Pidfile.Decision.Create());
    assertThat(Pidfile.decide("777\n", 100, ONLY_777_RUNS)).isEqualTo(new Pidfile.Decision.Refuse(777));
    assertThat(Pidfile.decide("778", 100, ONLY_777_RUNS)).isEqualTo(new Pidfile.Decision.ReplaceStale(778));
    assertThat(Pidfile.decide("", 100, ONLY_777_RUNS)).isEqualTo(new Pidfile.Decision.ReplaceGarbage(""));
    assertThat(Pidfile.decide("abc", 100, ONLY_777_RUNS))
        .isEqualTo(new Pidfile.Decision.ReplaceGarbage("abc"));
    assertThat(Pidfile.decide("-1", 100, pid -> true)).isEqualTo(new Pidfile.Decision.ReplaceStale(-1));
  }

  @Test
  void decide_ownPidFromAPreviousLife_isStale() {
    assertThat(Pidfile.decide("1", 1, pid -> true)).isEqualTo(new Pidfile.Decision.ReplaceStale(1));
  }

  @Test
  void acquire_noFile_createsWithOurPid() throws Exception {
    Path file = dir.resolve("ahc.pid");
    Pidfile pidfile = Pidfile.acquire(file, 100, ONLY_777_RUNS, notes::add);
    assertThat(Files.readString(file)).isEqualTo("100");
    assertThat(notes).containsExactly("creating pidfile " + file, "writing processID 100 to pidfile");
    assertThat(pidfile.remove()).isTrue();
    assertThat(file).doesNotExist();
  }

  @Test
  void acquire_garbageOrStale_isReplaced() throws Exception {
    Path file = dir.resolve("ahc.pid");
    Files.writeString(file, "junk");
    Pidfile.acquire(file, 100, ONLY_777_RUNS, notes::add);
    Files.writeString(file, "12345");
    Pidfile.acquire(file, 101, ONLY_777_RUNS, notes::add);
    assertThat(Files.readString(file)).isEqualTo("101");
    assertThat(notes).containsExactly(
        "cleaning stale pidfile with invalid data:'junk'", "writing processID 100 to pidfile",
        "updating stale processID(12345) in pidfile", "writing processID 101 to pidfile");
  }

  @Test
  void acquire_runningPid_refusesAndLeavesFile() throws IOException {
    Path file = dir.resolve("ahc.pid");
    Files.writeString(file, "777");
    assertThatThrownBy(() -> Pidfile.acquire(file, 100, ONLY_777_RUNS, notes::add))
        .isInstanceOf(Pidfile.AlreadyRunningException.class)
        .hasMessage("process 777 is already running");
    assertThat(Files.readString(file)).isEqualTo("777");
  }

  @Test
  void remove_someoneElsesFile_isLeftAlone() throws Exception {
    Path file = dir.resolve("ahc.pid");
    Pidfile pidfile = Pidfile.acquire(file, 100, ONLY_777_RUNS, notes::add);
    Files.writeString(file, "200");
    assertThat(pidfile.remove()).isFalse();
    assertThat(file).exists();
  }

  @Test
  void instanceLock_secondAcquireFails_untilReleased() throws Exception {
    String name = "ahc-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    InstanceLock first = InstanceLock.acquire(name);
    try {
      assertThatThrownBy(() -> InstanceLock.acquire(name))
          .isInstanceOf(InstanceLock.LockFailedException.class)
          .hasMessageStartingWith("failed to acquire a lock by creating an abstract namespace socket: ")
          .hasMessageContaining("Address already in use");
    } finally {
      first.close();
    }
    InstanceLock.acquire(name).close();
  }

  @Test
  void instanceLockName_isTheOriginals_unlessTheTrainingPropertyNamesAnother() {
    java.util.Properties p = new java.util.Properties();
    assertThat(InstanceLock.name(p)).isEqualTo("anycast-healthchecker");
    p.setProperty(InstanceLock.NAME_PROPERTY, " ");
    assertThat(InstanceLock.name(p)).isEqualTo("anycast-healthchecker");
    p.setProperty(InstanceLock.NAME_PROPERTY, "anycast-healthchecker-aot-training");
    assertThat(InstanceLock.name(p)).isEqualTo("anycast-healthchecker-aot-training");
  }

  @Test
  void acquire_symlinkPlantedAtTheTempName_isNeverWrittenThrough() throws Exception {
    java.nio.file.Path file = dir.resolve("x.pid");
    java.nio.file.Path victim = java.nio.file.Files.writeString(dir.resolve("victim"), "precious");
    java.nio.file.Files.createSymbolicLink(dir.resolve("x.pid.tmp"), victim);
    Pidfile.acquire(file, 100, ONLY_777_RUNS, s -> {});
    assertThat(java.nio.file.Files.readString(victim)).isEqualTo("precious");
    assertThat(java.nio.file.Files.readString(file)).isEqualTo("100");
  }

  @Test
  void acquire_symlinkedPidfile_writesTheTarget_asTheOriginalDoes() throws Exception {
    java.nio.file.Path target = dir.resolve("real.pid");
    java.nio.file.Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("x.pid"), target);
    Pidfile.acquire(link, 100, ONLY_777_RUNS, s -> {});
    assertThat(java.nio.file.Files.isSymbolicLink(link)).isTrue();
    assertThat(java.nio.file.Files.readString(target)).isEqualTo("100");
  }
}
