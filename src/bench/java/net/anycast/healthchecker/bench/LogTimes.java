package net.anycast.healthchecker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Timestamped lines of the node BIRD's log and of the daemon's log. */
final class LogTimes {
  /** A log line: when, and the text after the timestamp. */
  record Line(Instant at, String text) {}

  private static final Pattern BIRD =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}) (.*)$");
  private static final Pattern DAEMON =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) (.*)$");
  private static final DateTimeFormatter BIRD_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter DAEMON_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

  private LogTimes() {}

  /** Returns when the node BIRD began each {@code configure} (its "Reconfiguring" lines). */
  static List<Instant> birdReconfigures(Path log) throws IOException {
    return lines(log, BIRD, BIRD_TIME).stream()
        .filter(l -> l.text().endsWith("Reconfiguring")).map(Line::at).toList();
  }

  /** Returns the daemon's log lines containing {@code needle}. */
  static List<Line> daemon(Path log, String needle) throws IOException {
    return lines(log, DAEMON, DAEMON_TIME).stream().filter(l -> l.text().contains(needle)).toList();
  }

  /** Returns the instant of a daemon log timestamp such as {@code 2026-01-02 03:04:05,678}. */
  static Instant daemonTime(String stamp) {
    return LocalDateTime.parse(stamp, DAEMON_TIME).atZone(ZoneId.systemDefault()).toInstant();
  }

  private static List<Line> lines(Path log, Pattern p, DateTimeFormatter f) throws IOException {
    List<Line> out = new ArrayList<>();
    if (!Files.exists(log)) {
      return out;
    }
    ZoneId zone = ZoneId.systemDefault();
    for (String raw : Files.readAllLines(log)) {
      Matcher m = p.matcher(raw);
      if (m.matches()) {
        out.add(new Line(LocalDateTime.parse(m.group(1), f).atZone(zone).toInstant(), m.group(2)));
      }
    }
    return out;
  }
}
