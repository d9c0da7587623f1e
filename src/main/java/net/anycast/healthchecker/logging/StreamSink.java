package net.anycast.healthchecker.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The console. The original's {@code StreamHandler()} writes to stderr (its README says STDOUT);
 * with {@code log_format_journalctl} each line starts with {@code <N>}, the syslog priority that
 * journald reads from a unit's output.
 */
final class StreamSink implements Sink {
  private final OutputStream out;
  private final boolean journalPrefix;

  StreamSink(OutputStream out, boolean journalPrefix) {
    this.out = out;
    this.journalPrefix = journalPrefix;
  }

  @Override
  public synchronized void write(String record, Severity severity) throws IOException {
    String line = journalPrefix ? "<" + severity.syslogPriority() + ">" + record : record;
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
