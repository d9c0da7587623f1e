package net.anycast.healthchecker.bird;

import static net.anycast.healthchecker.bird.TestServices.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefixFileStoreTest {
  @TempDir Path dir;

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  private static PrefixFile file(String... prefixes) {
    return PrefixFile.of("ACAST_PS_ADVERTISE", p("10.189.200.255/32"),
        Stream.of(prefixes).map(TestServices::p).toList());
  }

  @Test
  void write_missingFile_createsIt_andLeavesNoTempFile() throws IOException {
    PrefixFileStore store = new PrefixFileStore(dir.resolve("a.conf"), false, 128, CLOCK);
    assertThat(store.read()).isEmpty();
    assertThat(store.write(file("10.0.0.1"))).isTrue();
    assertThat(store.read()).get().asString().contains("10.0.0.1/32").startsWith("# Generated 2026-11-22 10:00:00.000000");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(x -> x.getFileName().toString())).containsExactly("a.conf");
    }
  }

  @Test
  void write_sameContent_writesNothing() throws IOException {
    Path conf = dir.resolve("a.conf");
    PrefixFileStore store = new PrefixFileStore(conf, false, 128, CLOCK);
    store.write(file("10.0.0.1"));
    Files.setLastModifiedTime(conf, java.nio.file.attribute.FileTime.fromMillis(0));
    PrefixFileStore later = new PrefixFileStore(conf, false, 128,
        Clock.offset(CLOCK, Duration.ofHours(1)));
    assertThat(later.write(file("10.0.0.1"))).isFalse();
    assertThat(Files.getLastModifiedTime(conf).toMillis()).isZero();
    assertThat(later.write(file("10.0.0.2"))).isTrue();
  }

  @Test
  void write_symlinkedConf_replacesTheTarget_andKeepsTheLink() throws IOException {
    Path target = Files.createDirectories(dir.resolve("var")).resolve("anycast-prefixes.conf");
    Path link = Files.createDirectories(dir.resolve("etc")).resolve("anycast-prefixes.conf");
    Files.createSymbolicLink(link, Path.of("../var/anycast-prefixes.conf"));
    PrefixFileStore store = new PrefixFileStore(link, false, 128, CLOCK);
    assertThat(store.file()).isEqualTo(target);
    store.write(file("10.0.0.7"));
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(link)).contains("10.0.0.7/32");
  }

  @Test
  void write_keepChanges_copiesEachVersion_andKeepsOnlyTheNewest() throws IOException {
    Path conf = dir.resolve("a.conf");
    Instant[] now = {Instant.parse("2026-11-22T10:00:00Z")};
    Clock ticking = new Clock() {
      @Override public ZoneId getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(ZoneId z) { return this; }
      @Override public Instant instant() { return now[0]; }
    };
    PrefixFileStore store = new PrefixFileStore(conf, true, 3, ticking);
    Path history = dir.resolve("history");
    for (int i = 1; i <= 5; i++) {
      now[0] = now[0].plusSeconds(1);
      store.write(file("10.0.0." + i));
      now[0] = now[0].plusMillis(500); // the copy is named by the write, not by when it is made
      store.sync();
      now[0] = now[0].minusMillis(500);
    }
    store.close(); // the copies are made on the aftercare thread: wait for it
    List<String> names;
    try (Stream<Path> s = Files.list(history)) {
      names = s.map(x -> x.getFileName().toString()).sorted().toList();
    }
    assertThat(names).containsExactly("1795341603.000000", "1795341604.000000", "1795341605.000000");
    assertThat(Files.readString(history.resolve("1795341605.000000"))).isEqualTo(Files.readString(conf));
  }

  @Test
  void write_unwritableDirectory_throws_andKeepsTheOldFile() throws IOException {
    Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
    PrefixFileStore store = new PrefixFileStore(blocker.resolve("a.conf"), false, 128, CLOCK);
    assertThatThrownBy(() -> store.write(file("10.0.0.1"))).isInstanceOf(IOException.class);
  }

  /** Records every fsync asked of it as "data NAME" or "dir NAME"; the first n fail. */
  private static final class Recorded implements PrefixFileStore.Fsync {
    final List<String> synced = new java.util.ArrayList<>();
    int failures;

    @Override
    public void file(Path f) throws IOException {
      record("data " + f.getFileName());
    }

    @Override
    public void directory(Path d) throws IOException {
      record("dir " + d.getFileName());
    }

    private void record(String what) throws IOException {
      if (failures > 0) {
        failures--;
        throw new IOException("EIO");
      }
      synced.add(what);
    }
  }

  @Test
  void write_leavesTheDirectoryFsyncToSync_onceAfterEachRename() throws IOException {
    Recorded fsync = new Recorded();
    Path conf = dir.resolve("a.conf");
    PrefixFileStore store = new PrefixFileStore(conf, false, 128, CLOCK, fsync, d -> false);
    store.sync();
    assertThat(fsync.synced).isEmpty();
    store.write(file("10.0.0.1"));
    store.write(file("10.0.0.2"));
    assertThat(fsync.synced).isEmpty(); // the data went to disk before each rename
    store.sync();
    store.sync();
    assertThat(fsync.synced).containsExactly("dir " + dir.getFileName());
    assertThat(store.write(file("10.0.0.2"))).isFalse();
    store.sync();
    assertThat(fsync.synced).containsExactly("dir " + dir.getFileName());
  }

  @Test
  void write_renameCarriesTheData_replacingAFile_leavesItsDataFsyncToSync_beforeTheDirectory()
      throws IOException {
    Recorded fsync = new Recorded();
    Path conf = dir.resolve("a.conf");
    List<Path> asked = new java.util.ArrayList<>();
    PrefixFileStore store = new PrefixFileStore(conf, false, 128, CLOCK, fsync, d -> {
      asked.add(d);
      return true;
    });
    store.write(file("10.0.0.1")); // the first version: nothing to replace, fsynced before
    store.sync();
    assertThat(fsync.synced).containsExactly("dir " + dir.getFileName());
    fsync.synced.clear();
    store.write(file("10.0.0.2"));
    assertThat(fsync.synced).isEmpty();
    store.sync();
    assertThat(fsync.synced).containsExactly("data a.conf", "dir " + dir.getFileName());
    assertThat(asked).containsExactly(dir); // asked once, at the first write
    assertThat(store.read()).get().asString().contains("10.0.0.2/32");
  }

  @Test
  void sync_failed_staysPending_andTheNextCallFsyncsAgain() throws IOException {
    Recorded fsync = new Recorded();
    Path conf = Files.writeString(dir.resolve("a.conf"), "old");
    PrefixFileStore store = new PrefixFileStore(conf, false, 128, CLOCK, fsync, d -> true);
    store.write(file("10.0.0.1"));
    fsync.failures = 1;
    assertThatThrownBy(store::sync).hasMessage("EIO");
    store.sync();
    store.sync();
    assertThat(fsync.synced).containsExactly("data a.conf", "dir " + dir.getFileName());
  }

  @Test
  void sync_real_fsyncsTheFileAndTheDirectory() throws IOException {
    Path conf = Files.writeString(dir.resolve("a.conf"), "old");
    PrefixFileStore store = new PrefixFileStore(conf, false, 128, CLOCK);
    store.write(file("10.0.0.1"));
    store.sync(); // no fake: the production fsync must accept the file and a directory
    assertThat(store.read()).get().asString().contains("10.0.0.1/32");
  }

  @Test
  void removeStaleTempFiles_deletesThoseOfDeadWriters_only() throws IOException {
    Path conf = dir.resolve("a.conf");
    long me = ProcessHandle.current().pid();
    Files.writeString(dir.resolve(".a.conf.tmp-999999999"), "half");
    Files.writeString(dir.resolve(".a.conf.tmp-" + me), "in flight");
    Files.writeString(dir.resolve(".b.conf.tmp-999999999"), "another file's");
    new PrefixFileStore(conf, false, 128, CLOCK).removeStaleTempFiles();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(x -> x.getFileName().toString()))
          .containsExactlyInAnyOrder(".a.conf.tmp-" + me, ".b.conf.tmp-999999999");
    }
  }

  @Test
  void write_fileWithAByteThatIsNotUtf8_rewritesIt() throws IOException {
    Path conf = dir.resolve("a.conf");
    PrefixFileStore store = new PrefixFileStore(conf, false, 128, CLOCK);
    store.write(file("10.0.0.1"));
    byte[] old = Files.readAllBytes(conf);
    byte[] edited = java.util.Arrays.copyOf(old, old.length + 12);
    System.arraycopy("# caf\u00e9 \n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0,
        edited, old.length, 8);
    Files.write(conf, java.util.Arrays.copyOf(edited, old.length + 8));
    assertThat(store.read()).get().asString().contains("10.0.0.1/32");
    assertThat(store.write(file("10.0.0.1"))).isTrue();
    assertThat(Files.readString(conf)).contains("10.0.0.1/32").doesNotContain("caf");
  }

  @Test
  void write_symlinkPlantedAtTheTempName_isNeverWrittenThrough() throws IOException {
    Path victim = Files.writeString(dir.resolve("victim"), "precious");
    Files.createSymbolicLink(dir.resolve(".a.conf.tmp-" + ProcessHandle.current().pid()), victim);
    PrefixFileStore store = new PrefixFileStore(dir.resolve("a.conf"), false, 128, CLOCK);
    store.write(file("10.0.0.1"));
    assertThat(Files.readString(victim)).isEqualTo("precious");
    assertThat(store.read()).get().asString().contains("10.0.0.1/32");
  }

  /** The aftercare of a store, run by hand. */
  private static final class Queued implements java.util.concurrent.Executor {
    final List<Runnable> tasks = new java.util.ArrayList<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      List<Runnable> now = List.copyOf(tasks);
      tasks.clear();
      now.forEach(Runnable::run);
    }
  }

  /** A store on a filesystem that orders renames, with fake fsyncs and the given aftercare. */
  private static PrefixFileStore withAftercare(Path conf, boolean keepChanges, Queued aftercare) {
    return new PrefixFileStore(conf, keepChanges, 3, CLOCK, new Recorded(), d -> true, aftercare);
  }

  /** Returns how many of this process's descriptors are open on {@code file}, and on it deleted. */
  private static long[] descriptorsOn(Path file) throws IOException {
    long[] n = new long[2];
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException gone) {
          continue; // the descriptor of the listing itself, closed by now
        }
        if (target.equals(file.toString())) {
          n[0]++;
        } else if (target.equals(file + " (deleted)")) {
          n[1]++;
        }
      }
    }
    return n;
  }

  @Test
  void write_replacingAFile_holdsTheOldVersionOpen_untilSyncHandsItToTheAftercare()
      throws IOException {
    Queued aftercare = new Queued();
    Path conf = dir.resolve("a.conf");
    PrefixFileStore store = withAftercare(conf, false, aftercare);
    store.write(file("10.0.0.1"));
    store.sync();
    assertThat(aftercare.tasks).isEmpty(); // nothing was replaced
    assertThat(descriptorsOn(conf)).containsExactly(0, 0);

    store.write(file("10.0.0.2"));
    // The rename did not drop the old version's last reference: its blocks are not freed (nor
    // discarded) on the way to BIRD.
    assertThat(descriptorsOn(conf)).containsExactly(0, 1);
    assertThat(aftercare.tasks).isEmpty();
    store.sync();
    assertThat(aftercare.tasks).hasSize(1);
    assertThat(descriptorsOn(conf)).containsExactly(0, 1); // let go of by the aftercare only
    aftercare.runAll();
    assertThat(descriptorsOn(conf)).containsExactly(0, 0);
    assertThat(Files.readString(conf)).contains("10.0.0.2/32");
  }

  @Test
  void write_unchangedOrFailed_holdsNothing() throws IOException {
    Queued aftercare = new Queued();
    Path conf = dir.resolve("a.conf");
    PrefixFileStore store = withAftercare(conf, false, aftercare);
    store.write(file("10.0.0.1"));
    assertThat(store.write(file("10.0.0.1"))).isFalse();
    assertThat(descriptorsOn(conf)).containsExactly(0, 0);
    Files.delete(conf);
    Files.writeString(Files.createDirectories(conf).resolve("x"), "x"); // opens, cannot be read
    assertThatThrownBy(() -> store.write(file("10.0.0.2"))).isInstanceOf(IOException.class);
    assertThat(descriptorsOn(conf)).containsExactly(0, 0);
    store.sync();
    assertThat(aftercare.tasks).isEmpty();
  }

  @Test
  void write_twiceWithoutSync_letsGoOfTheEarlierVersion_andCloseOfTheLast() throws IOException {
    Queued aftercare = new Queued();
    Path conf = dir.resolve("a.conf");
    PrefixFileStore store = withAftercare(conf, false, aftercare);
    store.write(file("10.0.0.1"));
    store.write(file("10.0.0.2"));
    store.write(file("10.0.0.3"));
    assertThat(aftercare.tasks).hasSize(1); // the first replaced version
    aftercare.runAll();
    assertThat(descriptorsOn(conf)).containsExactly(0, 1);
    store.close();
    aftercare.runAll();
    assertThat(descriptorsOn(conf)).containsExactly(0, 0);
  }

  @Test
  void keepChanges_theHistoryCopyIsMadeAfterSync_onTheAftercare() throws IOException {
    Queued aftercare = new Queued();
    Path conf = dir.resolve("a.conf");
    PrefixFileStore store = withAftercare(conf, true, aftercare);
    store.write(file("10.0.0.1"));
    assertThat(dir.resolve("history")).doesNotExist();
    store.sync();
    assertThat(dir.resolve("history")).doesNotExist();
    aftercare.runAll();
    assertThat(dir.resolve("history").resolve("1795341600.000000")).hasContent(
        Files.readString(conf));
  }

  @Test
  void aftercare_runsTasksInOrder_onItsOwnThread_andAfterCloseOnTheCaller() throws Exception {
    List<String> ran = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Aftercare aftercare = new Aftercare("test-aftercare");
    for (int i = 0; i < 20; i++) {
      int n = i;
      aftercare.execute(() -> ran.add(n + " " + Thread.currentThread().getName()));
    }
    aftercare.close(); // waits for the queued ones
    assertThat(ran).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(ran.get(i)).isEqualTo(i + " test-aftercare");
    }
    aftercare.execute(() -> ran.add("late " + Thread.currentThread().getName()));
    assertThat(ran.getLast()).isEqualTo("late " + Thread.currentThread().getName());
  }
}
