package net.anycast.healthchecker.logging;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file rotated by size as Python's {@code RotatingFileHandler} does: before a record that
 * would make the file reach {@code maxBytes}, {@code file.N} becomes {@code file.N+1} (for N from
 * {@code backups - 1} down to 1), the file becomes {@code file.1}, and a new file is started. Any
 * number of backups (Logback's own policy stops at 20). With {@code maxBytes} or {@code backups}
 * zero the file is never rotated, as in Python.
 *
 * <p>A rotation that fails (a rename refused: a directory in the way, a read-only directory)
 * must not end the logging: the file is opened again for appending, the failure is said once on
 * the process's real stderr (where the log may not be seen; under systemd it is the journal),
 * and rotation is tried again each time the file has grown by another {@code maxBytes} (said
 * again only once it worked). Python's
 * handler, and ours before, closed the log for good without a word.
 */
final class RotatingFile implements Sink {
  private final Path file;
  private final long maxBytes;
  private final int backups;
  private final PrintStream problems;
  private OutputStream out;
  private long size;
  private long rotateAt; // the size at which the next rotation is tried
  private boolean failing; // the last rotation failed and that was said

  RotatingFile(Path file, long maxBytes, int backups) throws IOException {
    // fd 2 itself, not System.err: stderr may be captured into a RotatingFile (stderr_file).
    this(file, maxBytes, backups,
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
  }

  /** @param problems where a failed rotation is reported */
  RotatingFile(Path file, long maxBytes, int backups, PrintStream problems) throws IOException {
    this.file = file;
    this.maxBytes = maxBytes;
    this.backups = backups;
    this.problems = problems;
    open();
    rotateAt = maxBytes;
  }

  @Override
  public synchronized void write(String record, Severity severity) throws IOException {
    byte[] bytes = (record + "\n").getBytes(StandardCharsets.UTF_8);
    if (maxBytes > 0 && backups > 0 && size + bytes.length >= rotateAt
        && Files.isRegularFile(file)) {
      rotate();
    }
    out.write(bytes);
    out.flush();
    size += bytes.length;
  }

  private void rotate() throws IOException {
    out.close();
    try {
      for (int i = backups - 1; i >= 1; i--) {
        Path from = backup(i);
        if (Files.exists(from)) {
          Files.move(from, backup(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(file, backup(1), StandardCopyOption.REPLACE_EXISTING);
      open();
      rotateAt = maxBytes;
      if (failing) {
        failing = false;
        problems.println("anycast-healthchecker: rotating " + file + " works again");
      }
    } catch (IOException e) {
      open(); // appends to whatever file is there; throws only when it cannot be written at all
      rotateAt = size + maxBytes;
      if (failing) {
        return; // said already; the next success says so
      }
      failing = true;
      problems.println("anycast-healthchecker: rotating " + file + " failed: " + e
          + "; logging goes on in " + file + ", rotation is tried again after another "
          + maxBytes + " bytes");
    }
  }

  private Path backup(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  private void open() throws IOException {
    out =
        Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    size = Files.size(file);
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
