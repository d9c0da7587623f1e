package net.anycast.healthchecker.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.ZoneId;

/**
 * The original's text line: {@code %(asctime)s anycast-healthchecker[%(process)d]
 * %(levelname)-8s %(threadName)-Ws %(message)s}, W being the longest section name + 1.
 */
final class TextFormat implements LineFormat {
  private final String program;
  private final long pid;
  private final int width;
  private final Asctime asctime;

  TextFormat(String program, long pid, int width, ZoneId zone) {
    this.program = program;
    this.pid = pid;
    this.width = Math.max(1, width);
    this.asctime = new Asctime(zone);
  }

  @Override
  public String format(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    line.append(asctime.format(event.getTimeStamp()))
        .append(' ')
        .append(program)
        .append('[')
        .append(pid)
        .append("] ");
    pad(line, Severity.of(event).name(), 8);
    line.append(' ');
    pad(line, LineFormat.serviceName(event), width);
    line.append(' ').append(event.getFormattedMessage());
    String trace = LineFormat.stackTrace(event);
    if (trace != null) {
      // Python's Formatter appends the traceback on the following lines.
      line.append('\n').append(trace);
    }
    return line.toString();
  }

  /** Appends like Python's {@code %-Ns}: left-aligned, padded, never truncated. */
  private static void pad(StringBuilder line, String text, int width) {
    line.append(text);
    for (int i = text.length(); i < width; i++) {
      line.append(' ');
    }
  }
}
