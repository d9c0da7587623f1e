package net.anycast.healthchecker.override;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A hacheck spool directory: reads every drain in it, writes and removes one.
 *
 * <p>hacheck writes in place; we write atomically (temp file in the same directory, fsync,
 * rename, fsync of the directory), so that hacheck, our own reader and a crash only ever see
 * the old or the new file. Reading copes with hacheck's way: a file caught half-written keeps
 * the state it had before.
 *
 * <p>Thread-safe: it keeps no state but the path.
 */
public final class SpoolDirectory {
  /** A spool file is a line; more than this is not a drain anyone wrote by hand. */
  static final int MAX_READ_BYTES = 64 * 1024;
  /** hacheck's mode for the directory it creates. */
  private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-x---");

  private final Path dir;
  private final SecureRandom random = new SecureRandom();

  public SpoolDirectory(Path dir) {
    this.dir = dir;
  }

  /** Returns the directory. */
  public Path path() {
    return dir;
  }

  /** Returns the path of the spool file {@code spoolName}. */
  public Path fileFor(String spoolName) {
    return dir.resolve(SpoolNames.requireValid(spoolName));
  }

  /**
   * Returns the drains of every regular file (a symlink to one too, as hacheck's {@code open}
   * follows it) whose name does not start with {@code .}, and no drains when the directory does
   * not exist. Never throws for what it finds on disk: each
   * problem goes to {@code warnings} naming the file, and the file keeps its entry of
   * {@code previous} (the "cannot tell" policy: a file we cannot read right now is more likely
   * being written than gone). A directory that cannot be listed keeps all of {@code previous}.
   */
  public Drains read(Drains previous, Consumer<String> warnings) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return Drains.none();
    } catch (IOException | RuntimeException e) {
      warnings.accept("cannot list spool directory " + dir + " (keeping the drains read before): " + e);
      return previous;
    }
    List<Drain> drains = new ArrayList<>();
    for (Path file : files) {
      readOne(file, previous, warnings).ifPresent(drains::add);
    }
    return Drains.of(drains);
  }

  private Optional<Drain> readOne(Path file, Drains previous, Consumer<String> warnings) {
    String name = file.getFileName().toString();
    Optional<Drain> before = previous.byName(name);
    byte[] content;
    try {
      content = readCapped(file);
    } catch (NoSuchFileException e) {
      return Optional.empty(); // removed between listing and reading
    } catch (IOException | RuntimeException e) {
      // Policy "cannot tell": the file is there, and in hacheck a file's presence means down;
      // what it said before is kept, else it drains with the error as its reason. Announcing a
      // service an operator may have taken out is the worse mistake.
      warnings.accept("cannot read spool file " + file + ": " + e
          + (before.isPresent() ? "; keeping what it said before" : "; taking it as a drain"));
      return before.or(() -> Optional.of(Drain.of(name, "unreadable spool file: " + e)));
    }
    if (before.isPresent() && new String(content, java.nio.charset.StandardCharsets.UTF_8)
        .isBlank()) {
      // hacheck rewrites a file in place: truncated, then written. Empty after a known drain is
      // that moment, not a new drain without a reason; the next event brings the whole file.
      return before;
    }
    return switch (SpoolFormat.parse(name, content)) {
      case SpoolFormat.Parsed.Complete c -> Optional.of(c.drain());
      case SpoolFormat.Parsed.Incomplete i when before.isPresent() -> before;
      case SpoolFormat.Parsed.Incomplete i -> {
        // As hacheck does with text that is not JSON: the whole text is the reason.
        warnings.accept("spool file " + file + " is not a valid JSON object (" + i.problem()
            + "); taking its text as the reason");
        yield Optional.of(Drain.of(name, SpoolFormat.withoutLineEnd(i.text())));
      }
    };
  }

  private static byte[] readCapped(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(MAX_READ_BYTES);
    }
  }

  /**
   * Writes {@code drain} to its spool file atomically, creating the directory (mode 0750) when
   * missing, and returns what was written. When the file already holds a drain with the same
   * reason, its creation time is kept, as hacheck does: downing again refreshes the expiry but
   * not "down since".
   */
  public Drain write(Drain drain) throws IOException {
    Path target = fileFor(drain.spoolName());
    createDirectory();
    Drain written = keepCreation(drain, target);
    Path tmp = dir.resolve("." + drain.spoolName() + ".tmp-"
        + Long.toUnsignedString(random.nextLong(), 36));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(SpoolFormat.render(written));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      // Atomic only within one filesystem, hence the temp file in the same directory.
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      if (e instanceof AtomicMoveNotSupportedException) {
        throw new IOException("cannot rename " + tmp + " over " + target + " atomically", e);
      }
      throw e;
    }
    fsyncDirectory();
    return written;
  }

  private Drain keepCreation(Drain drain, Path target) throws IOException {
    byte[] content;
    try {
      content = readCapped(target);
    } catch (NoSuchFileException e) {
      return drain;
    }
    if (SpoolFormat.parse(drain.spoolName(), content) instanceof SpoolFormat.Parsed.Complete c
        && c.drain().reason().equals(drain.reason())
        && c.drain().creation().isPresent()) {
      return drain.withCreationOf(c.drain());
    }
    return drain;
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(dir);
      // Set after creating: the umask would otherwise take bits from the mode asked for.
      Files.setPosixFilePermissions(dir, DIR_MODE);
    } catch (FileAlreadyExistsException e) {
      // Someone else created it meanwhile; theirs stands.
    }
  }

  /**
   * Removes the spool file {@code spoolName}; returns whether there was one.
   *
   * @throws IOException when it exists but cannot be removed
   */
  public boolean remove(String spoolName) throws IOException {
    boolean existed = Files.deleteIfExists(fileFor(spoolName));
    if (existed) {
      fsyncDirectory();
    }
    return existed;
  }

  /**
   * Removes the file of {@code expected} if it still says exactly that; returns whether it did.
   * Narrows the race with an operator who re-downs the service just as the old drain expires:
   * the new file is kept.
   */
  boolean removeIfUnchanged(Drain expected) throws IOException {
    Path file = fileFor(expected.spoolName());
    try {
      if (SpoolFormat.parse(expected.spoolName(), readCapped(file))
          instanceof SpoolFormat.Parsed.Complete c && c.drain().equals(expected)) {
        return remove(expected.spoolName());
      }
    } catch (NoSuchFileException e) {
      return false;
    }
    return false;
  }

  private void fsyncDirectory() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
