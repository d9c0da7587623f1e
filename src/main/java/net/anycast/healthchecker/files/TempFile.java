package net.anycast.healthchecker.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A new file beside a target, to be renamed over it. Its name, {@code .NAME.tmp-PID-RANDOM},
 * cannot be guessed, and it is opened with {@code O_CREAT|O_EXCL} and no-follow semantics: a file
 * or a symlink planted at that name makes the open fail instead of writing through the link
 * (the old names, {@code NAME.tmp} and the like, were fixed and followed links). The PID in the
 * name lets a later start tell a dead writer's leftover from a live one's.
 *
 * <p>Closing it deletes the temp file unless {@link #renameOver} moved it into place.
 */
public final class TempFile implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path path;
  private final FileChannel channel;
  private boolean renamed;

  private TempFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /**
   * Returns whether {@code pid}, the PID a temp file's (or directory's) name carries, names a
   * running process: false for anything but the decimal digits of a possible PID (pid_max is at
   * most 2^22), so a leftover whose writer is gone can be removed.
   */
  public static boolean isRunning(String pid) {
    return !pid.isEmpty() && pid.length() <= 10 && pid.chars().allMatch(Character::isDigit)
        && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Returns the prefix of the temp files of {@code target}: {@code .NAME.tmp-}. */
  public static String prefixOf(Path target) {
    return "." + target.getFileName() + ".tmp-";
  }

  /** Returns a new, empty temp file in {@code target}'s directory, open for writing. */
  public static TempFile beside(Path target) throws IOException {
    byte[] r = new byte[6];
    RANDOM.nextBytes(r);
    Path p = target.resolveSibling(prefixOf(target) + ProcessHandle.current().pid() + "-"
        + HexFormat.of().formatHex(r));
    FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
    return new TempFile(p, ch);
  }

  /** Returns the temp file's path. */
  public Path path() {
    return path;
  }

  /** Returns the channel to write the content into. */
  public FileChannel channel() {
    return channel;
  }

  /** Writes all of {@code bytes}. */
  public void write(byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  /**
   * Closes the channel and renames the file over {@code target}, atomically (same directory, so
   * same filesystem); a symlink at {@code target} is replaced, never followed.
   */
  public void renameOver(Path target) throws IOException {
    channel.close();
    try {
      Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + path + " over " + target + " atomically", e);
    }
    renamed = true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
    if (!renamed) {
      Files.deleteIfExists(path);
    }
  }
}
