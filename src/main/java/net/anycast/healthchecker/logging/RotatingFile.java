package net.anycast.healthchecker.logging;

import java.io.IOException;
import java.io.OutputStream;
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
 */
final class RotatingFile implements Sink {
  private final Path file;
  private final long maxBytes;
  private final int backups;
  private OutputStream out;
  private long size;

  RotatingFile(Path file, long maxBytes, int backups) throws IOException {
    this.file = file;
    this.maxBytes = maxBytes;
    this.backups = backups;
    open();
  }

  @Override
  public synchronized void write(String record, Severity severity) throws IOException {
    byte[] bytes = (record + "\n").getBytes(StandardCharsets.UTF_8);
    if (maxBytes > 0 && backups > 0 && size + bytes.length >= maxBytes && Files.isRegularFile(file)) {
      rotate();
    }
    out.write(bytes);
    out.flush();
    size += bytes.length;
  }

  private void rotate() throws IOException {
    out.close();
    for (int i = backups - 1; i >= 1; i--) {
      Path from = backup(i);
      if (Files.exists(from)) {
        Files.move(from, backup(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, backup(1), StandardCopyOption.REPLACE_EXISTING);
    open();
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
