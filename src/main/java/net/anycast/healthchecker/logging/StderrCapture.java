package net.anycast.healthchecker.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.time.ZoneId;

/**
 * What {@code stderr_file}/{@code stderr_log_server} put in place of stderr: every non-empty line
 * written to it (uncaught exceptions, JVM crash notes) becomes one CRITICAL record in the
 * original's stderr format {@code %(asctime)s anycast-healthchecker[%(process)d] %(threadName)s
 * %(message)s}.
 */
final class StderrCapture extends OutputStream {
  private final Sink sink;
  private final String program;
  private final long pid;
  private final ZoneId zone;
  private final InstantSource clock;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  StderrCapture(Sink sink, String program, long pid, ZoneId zone, InstantSource clock) {
    this.sink = sink;
    this.program = program;
    this.pid = pid;
    this.zone = zone;
    this.clock = clock;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    if (b == '\n') {
      emit();
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    // Lines are emitted whole; a partial line waits for its newline (or close).
  }

  @Override
  public synchronized void close() throws IOException {
    emit();
    sink.close();
  }

  private void emit() throws IOException {
    String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
    line.reset();
    if (text.isEmpty()) {
      return;
    }
    String record =
        LineFormat.asctime(clock.millis(), zone)
            + " "
            + program
            + "["
            + pid
            + "] "
            + Thread.currentThread().getName()
            + " "
            + text;
    sink.write(record, Severity.CRITICAL);
  }
}
