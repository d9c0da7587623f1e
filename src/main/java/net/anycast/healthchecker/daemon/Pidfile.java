package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import net.anycast.healthchecker.files.Symlinks;
import net.anycast.healthchecker.files.TempFile;

/**
 * The pidfile, taken after the {@link InstanceLock} as the original does: a file naming a running
 * process makes us refuse to start (a daemon of the 0.7 era, which had no lock, could still be
 * running); a file with garbage or a dead PID is replaced.
 */
public final class Pidfile {
  private final Path path;
  private final long pid;

  private Pidfile(Path path, long pid) {
    this.path = path;
    this.pid = pid;
  }

  /** What to do about the current content of the pidfile. */
  sealed interface Decision {
    record Create() implements Decision {}

    record ReplaceGarbage(String content) implements Decision {}

    record ReplaceStale(long pid) implements Decision {}

    record Refuse(long pid) implements Decision {}
  }

  /**
   * Returns what to do given the file's content (null: no file), our own PID and a test for "is
   * this PID running".
   */
  static Decision decide(String content, long ownPid, LongPredicate running) {
    if (content == null) {
      return new Decision.Create();
    }
    String text = content.strip();
    long other;
    try {
      other = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return new Decision.ReplaceGarbage(text);
    }
    // Fix: the original refuses when the file holds its own PID, which happens after a restart in
    // a container (PID 1 again); that file is ours from a previous life, hence stale.
    if (other > 0 && other != ownPid && running.test(other)) {
      return new Decision.Refuse(other);
    }
    return new Decision.ReplaceStale(other);
  }

  /**
   * Writes our PID into {@code path} unless it names another running process; {@code notes} gets
   * the lines the original prints on stdout ({@code creating pidfile …}).
   *
   * @throws AlreadyRunningException naming the running PID
   * @throws IOException when the file cannot be read or written
   */
  public static Pidfile acquire(Path path, Consumer<String> notes)
      throws AlreadyRunningException, IOException {
    long own = ProcessHandle.current().pid();
    return acquire(path, own, pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
        notes);
  }

  static Pidfile acquire(Path path, long ownPid, LongPredicate running, Consumer<String> notes)
      throws AlreadyRunningException, IOException {
    String content;
    try {
      content = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      content = null;
    }
    switch (decide(content, ownPid, running)) {
      case Decision.Refuse r -> throw new AlreadyRunningException(r.pid());
      case Decision.Create c -> notes.accept("creating pidfile " + path);
      case Decision.ReplaceGarbage g ->
          notes.accept("cleaning stale pidfile with invalid data:'" + g.content() + "'");
      case Decision.ReplaceStale s -> notes.accept("updating stale processID(" + s.pid() + ") in pidfile");
    }
    notes.accept("writing processID " + ownPid + " to pidfile");
    // Whole file or nothing: a reader (the monitoring check) never sees a half-written PID.
    // A symlinked pidfile is written through, as the original's open(pidfile, 'w') does.
    Path target = Symlinks.FOLLOW.target(path);
    try (TempFile tmp = TempFile.beside(target)) {
      tmp.write(Long.toString(ownPid).getBytes(StandardCharsets.UTF_8));
      tmp.renameOver(target);
    }
    return new Pidfile(path, ownPid);
  }

  /** Returns the pidfile's path. */
  public Path path() {
    return path;
  }

  /**
   * Deletes the file on clean shutdown, unless it no longer holds our PID (someone else's file
   * is not ours to remove). Returns whether it deleted it.
   */
  public boolean remove() throws IOException {
    try {
      if (!Files.readString(path, StandardCharsets.UTF_8).strip().equals(Long.toString(pid))) {
        return false;
      }
    } catch (NoSuchFileException e) {
      return false;
    }
    return Files.deleteIfExists(path);
  }

  /** The pidfile names a running process. */
  public static final class AlreadyRunningException extends Exception {
    private final long pid;

    AlreadyRunningException(long pid) {
      super("process " + pid + " is already running");
      this.pid = pid;
    }

    public long pid() {
      return pid;
    }
  }
}
