package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.stream.Stream;
import net.anycast.healthchecker.files.RenameOrdering;
import net.anycast.healthchecker.files.Symlinks;
import net.anycast.healthchecker.files.TempFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and atomically replaces one prefix file, keeping a history of versions when asked.
 *
 * <p>A write is: temp file in the same directory, write, rename over the file. Rename is
 * atomic only within one filesystem, hence the same directory, and hence a symlinked file is
 * resolved to its target first (renaming over the link would replace the link, and BIRD,
 * following the link, would never see the change). Whatever moment the process or the machine
 * dies, the file is either the old or the new complete version, never a mix BIRD would reject.
 * Across a power cut that needs the data on disk no later than the rename: where the filesystem
 * promises it ({@link RenameOrdering}: ext4 with its defaults, and only when the rename replaces
 * an existing file) the data is fsynced after the rename, with the directory, in
 * {@link #sync()}; everywhere else it is fsynced before the rename.
 *
 * <p>{@link #sync()} is a separate step, which the reconciler takes after telling BIRD: BIRD
 * reads the new file through the page cache either way, and a power cut before it can at most
 * bring back the previous complete file, which the next start's reconfigure corrects. Taking it
 * after spares the way to BIRD the wait for one or two fsyncs (0.5–2 ms each on a disk).
 *
 * <p>The version a rename replaces is held open across the rename, and let go only after
 * {@link #sync()}, on a thread of its own ({@link Aftercare}), with the history copies. The
 * rename would otherwise drop the old version's last reference and free its blocks inside the
 * rename call, and on a filesystem mounted with {@code discard} that waits for the device to
 * discard them: 0.2 ms a change on the test VM, and 44–318 ms in 4 of 80 changes while BIRD and
 * the original ran beside it (kernel stack: {@code do_renameat2 → evict → ext4_truncate →
 * ext4_free_blocks → blkdev_issue_discard}).
 *
 * <p>Not thread-safe: one reconciler's passes use it, one at a time.
 */
public final class PrefixFileStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrefixFileStore.class);
  static final String HISTORY_DIR = "history";

  /** Makes a file's data or a directory's entries durable: fsync in production, fakes in tests. */
  interface Fsync {
    /** Makes the data of the file at {@code file} durable. */
    void file(Path file) throws IOException;

    /** Makes the entries of {@code dir} (a rename in it) durable. */
    void directory(Path dir) throws IOException;
  }

  /** The real thing: fsync(2) through a read-only descriptor of the file or directory. */
  static final Fsync FSYNC = new Fsync() {
    @Override
    public void file(Path file) throws IOException {
      force(file);
    }

    @Override
    public void directory(Path dir) throws IOException {
      force(dir);
    }
  };

  private final Path file;
  private boolean keepChanges;
  private int changesCounter;
  private final Clock clock;
  private final long pid;
  private final Fsync fsync;
  private final Predicate<Path> renameCarriesData; // asked of the directory at the first write
  private Boolean carriesData; // the answer, once asked
  private boolean renamePending; // a rename whose directory entry is not yet durable
  private boolean dataPending; // a renamed file whose data is not yet durable
  private final Executor aftercare; // what must not sit on the way to BIRD
  private FileChannel replaced; // the version the last rename replaced, held until sync()
  private Runnable historyCopy; // the history copy of the last write, made after sync()

  /**
   * @param conf {@code bird_conf}; a symlink is resolved to its target
   * @param keepChanges {@code bird_keep_changes}: copy every written version to {@code history/}
   * @param changesCounter {@code bird_changes_counter}: how many history copies to keep
   */
  public PrefixFileStore(Path conf, boolean keepChanges, int changesCounter, Clock clock) {
    this(conf, keepChanges, changesCounter, clock, FSYNC, RenameOrdering::carriesData,
        new Aftercare("prefix-file-aftercare"));
  }

  PrefixFileStore(Path conf, boolean keepChanges, int changesCounter, Clock clock, Fsync fsync,
      Predicate<Path> renameCarriesData) {
    this(conf, keepChanges, changesCounter, clock, fsync, renameCarriesData, Runnable::run);
  }

  /** @param aftercare runs what {@link #sync()} leaves; closed by {@link #close()} if closeable */
  PrefixFileStore(Path conf, boolean keepChanges, int changesCounter, Clock clock, Fsync fsync,
      Predicate<Path> renameCarriesData, Executor aftercare) {
    this.aftercare = aftercare;
    this.file = resolve(conf);
    this.keepChanges = keepChanges;
    this.changesCounter = Math.max(1, changesCounter);
    this.clock = clock;
    this.pid = ProcessHandle.current().pid();
    this.fsync = fsync;
    this.renameCarriesData = renameCarriesData;
  }

  /** Sets {@code bird_keep_changes} and {@code bird_changes_counter} for the next writes. */
  void history(boolean keep, int counter) {
    this.keepChanges = keep;
    this.changesCounter = Math.max(1, counter);
  }

  /** Returns the file written: {@code bird_conf}, or the target when it is a symlink. */
  public Path file() {
    return file;
  }

  /**
   * Deletes temp files a killed writer left beside the file ({@code .NAME.tmp-PID-…} of a PID no
   * longer running). They never match BIRD's usual {@code include "*.conf"} glob, but they pile up.
   */
  public void removeStaleTempFiles() {
    String prefix = TempFile.prefixOf(file);
    try (Stream<Path> s = Files.list(file.getParent())) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        // .NAME.tmp-PID-RANDOM (and .NAME.tmp-PID of earlier versions)
        String pid = p.getFileName().toString().substring(prefix.length()).split("-", 2)[0];
        if (!TempFile.isRunning(pid)) {
          LOG.info("removing {}, left by a writer that did not finish", p);
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      LOG.warn("failed to clean up temp files beside {}: {}", file, e.toString());
    }
  }

  /**
   * Returns the text of the file, empty when it does not exist. The file is ours, so it is read
   * as bytes and a byte that is not UTF-8 (a comment edited by hand) becomes U+FFFD: the text then
   * differs from any rendering and the next write replaces the file, where a strict decoder would
   * fail every pass and freeze the routes.
   */
  public Optional<String> read() throws IOException {
    try (FileChannel current = openCurrent()) {
      return current == null ? Optional.empty() : Optional.of(readAll(current));
    }
  }

  /** Opens the file as it is now for reading; null when it does not exist. */
  private FileChannel openCurrent() throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Reads all of {@code ch} as text (see {@link #read()}). */
  private static String readAll(FileChannel ch) throws IOException {
    // The stream is not closed: that would close the channel, which must stay open.
    InputStream in = Channels.newInputStream(ch);
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /**
   * Makes the file say {@code wanted}; returns false, writing nothing, when it already does
   * (its generated-by line aside). After a write (true) the new file is durable only once
   * {@link #sync()} ran.
   */
  public boolean write(PrefixFile wanted) throws IOException {
    FileChannel current = openCurrent();
    try {
      if (current != null && PrefixFile.sameContent(readAll(current), wanted.content())) {
        return false;
      }
      String text = wanted.render(LocalDateTime.now(clock), pid);
      Path dir = file.getParent();
      Files.createDirectories(dir);
      if (carriesData == null) {
        carriesData = renameCarriesData.test(dir);
        LOG.info(carriesData
            ? "{}: its filesystem commits a rename with the new file's data (ext4 with a journal),"
                + " so the data is fsynced after BIRD is told"
            : "{}: its filesystem does not promise to commit a rename with the new file's data, so"
                + " the data is fsynced before the rename", file);
      }
      // Only a rename over an existing file is ordered; the first version is fsynced before.
      boolean syncAfter = carriesData && current != null;
      try (TempFile tmp = TempFile.beside(file)) {
        tmp.write(text.getBytes(StandardCharsets.UTF_8));
        if (!syncAfter) {
          tmp.channel().force(false); // the data and the size: what reading it back needs
        }
        tmp.renameOver(file);
        renamePending = true;
        dataPending |= syncAfter;
      }
      if (current != null) {
        holdReplaced(current);
        current = null;
      }
      if (keepChanges) {
        historyCopy = archiveTask(text);
      }
      return true;
    } finally {
      if (current != null) {
        current.close(); // not replaced: still linked, so closing it frees nothing
      }
    }
  }

  /** Holds the replaced version until {@link #sync()}; one held before is let go now. */
  private void holdReplaced(FileChannel old) {
    handOver(null, replaced);
    replaced = old;
  }

  /**
   * Gives the aftercare thread what must not sit on the way to BIRD: a history copy to make,
   * then a replaced version to let go of; either may be null.
   */
  private void handOver(Runnable historyCopy, FileChannel old) {
    if (historyCopy == null && old == null) {
      return;
    }
    aftercare.execute(() -> {
      if (historyCopy != null) {
        historyCopy.run();
      }
      if (old != null) {
        closeQuietly(old);
      }
    });
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      LOG.debug("closing the replaced version of a prefix file: {}", e.toString());
    }
  }

  /**
   * Copies a written version into {@code history/}, named like the original's
   * ({@code str(time.time())}), and drops the oldest beyond {@code changesCounter}. A history
   * failure is logged, never fatal: the live file is already correct.
   */
  private Runnable archiveTask(String text) {
    Instant now = clock.instant(); // named by the write, whenever the copy is made
    int counter = changesCounter;
    return () -> archive(text, now, counter);
  }

  private void archive(String text, Instant now, int changesCounter) {
    Path history = file.getParent().resolve(HISTORY_DIR);
    try {
      Files.createDirectories(history);
      String name = String.format("%d.%06d", now.getEpochSecond(), now.getNano() / 1000);
      Path copy = history.resolve(name);
      for (int n = 1; Files.exists(copy); n++) {
        copy = history.resolve(name + "-" + n);
      }
      Files.writeString(copy, text, StandardCharsets.UTF_8);
      List<Path> all;
      try (Stream<Path> s = Files.list(history)) {
        all = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path old : all.subList(0, Math.max(0, all.size() - changesCounter))) {
        Files.deleteIfExists(old);
      }
    } catch (IOException e) {
      LOG.warn("failed to keep a history copy of {} in {}: {}", file, history, e.toString());
    }
  }

  /**
   * Makes earlier writes durable: the data of the file when it was not fsynced before its rename,
   * then the directory; does nothing when everything already is. Without it a power cut can bring
   * the previous file back. Then, whatever the fsyncs did, hands the replaced version and the
   * history copy to the aftercare thread.
   *
   * @throws IOException when an fsync fails; what it was to make durable stays pending for the
   *     next call
   */
  public void sync() throws IOException {
    try {
      if (dataPending) {
        fsync.file(file);
        dataPending = false;
      }
      if (renamePending) {
        fsync.directory(file.getParent());
        renamePending = false;
      }
    } finally {
      handOver(historyCopy, replaced);
      historyCopy = null;
      replaced = null;
    }
  }

  /** Lets go of what is held and waits, briefly, for the aftercare thread to finish. */
  @Override
  public void close() {
    handOver(null, replaced);
    replaced = null;
    if (aftercare instanceof AutoCloseable owned) {
      try {
        owned.close();
      } catch (Exception e) {
        LOG.debug("closing the prefix file's aftercare: {}", e.toString());
      }
    }
  }

  private static void force(Path fileOrDir) throws IOException {
    try (FileChannel ch = FileChannel.open(fileOrDir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static Path resolve(Path conf) {
    try {
      return Symlinks.FOLLOW.target(conf); // the original's open(bird_conf, 'w') follows it
    } catch (IOException e) {
      return conf.toAbsolutePath();
    }
  }
}
