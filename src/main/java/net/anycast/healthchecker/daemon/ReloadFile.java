package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.anycast.healthchecker.files.Symlinks;
import net.anycast.healthchecker.files.TempFile;

/**
 * The outcome of the daemon's latest reload, beside the pidfile
 * ({@code anycast-healthchecker.reload}), replaced whole after every reload. It is how the
 * {@code reload} command, which can only send SIGHUP, learns what its signal did: it waits for
 * an outcome of the daemon's pid that started after the signal was sent. Plain text, one fact per
 * line:
 *
 * <pre>
 * # anycast-healthchecker reload outcome
 * format=1
 * pid=4242
 * trigger=SIGHUP
 * started=2026-11-22T10:00:00.123456Z
 * finished=2026-11-22T10:00:00.145678Z
 * result=invalid
 * summary=Invalid configuration: 1 error; nothing changed
 * error&lt;TAB&gt;/etc/anycast-healthchecker.d/dns.conf: [dns] check_rise = 'two': not an integer; …
 * </pre>
 *
 * Repeated lines {@code error}, {@code restart} and {@code change} carry the outcome's lists.
 */
public final class ReloadFile {
  private static final int FORMAT = 1;

  /** What the file says: the daemon that wrote it, and its latest reload. */
  public record Entry(long pid, ReloadOutcome outcome) {}

  private ReloadFile() {}

  /** Returns the file for a pidfile: same directory, {@code .pid} replaced by {@code .reload}. */
  public static Path besidePidfile(Path pidfile) {
    String name = pidfile.getFileName().toString();
    String base = name.endsWith(".pid") ? name.substring(0, name.length() - 4) : name;
    return pidfile.resolveSibling(base + ".reload");
  }

  /** Returns the file's text. */
  static String render(Entry entry) {
    ReloadOutcome o = entry.outcome();
    StringBuilder out = new StringBuilder("# anycast-healthchecker reload outcome\n")
        .append("format=").append(FORMAT).append('\n')
        .append("pid=").append(entry.pid()).append('\n')
        .append("trigger=").append(oneLine(o.trigger())).append('\n')
        .append("started=").append(o.started()).append('\n')
        .append("finished=").append(o.finished()).append('\n')
        .append("result=").append(o.result().name().toLowerCase(java.util.Locale.ROOT))
        .append('\n')
        .append("summary=").append(oneLine(o.summary())).append('\n');
    o.errors().forEach(e -> out.append("error\t").append(oneLine(e)).append('\n'));
    o.needsRestart().forEach(n -> out.append("restart\t").append(oneLine(n)).append('\n'));
    o.changes().forEach(c -> out.append("change\t").append(oneLine(c)).append('\n'));
    return out.toString();
  }

  /**
   * Returns the entry in {@code text}.
   *
   * @throws IllegalArgumentException naming the first line that is not understood
   */
  public static Entry parse(String text) {
    Long pid = null;
    String trigger = null;
    Instant started = null;
    Instant finished = null;
    ReloadOutcome.Result result = null;
    String summary = null;
    List<String> errors = new ArrayList<>();
    List<String> restart = new ArrayList<>();
    List<String> changes = new ArrayList<>();
    int n = 0;
    for (String line : text.lines().toList()) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        int tab = line.indexOf('\t');
        int eq = line.indexOf('=');
        String key = tab >= 0 && (eq < 0 || tab < eq) ? line.substring(0, tab)
            : line.substring(0, eq);
        String value = line.substring(key.length() + 1);
        switch (key) {
          case "format" -> {
            if (Integer.parseInt(value) != FORMAT) {
              throw new IllegalArgumentException("unsupported format " + value);
            }
          }
          case "pid" -> pid = Long.parseLong(value);
          case "trigger" -> trigger = value;
          case "started" -> started = Instant.parse(value);
          case "finished" -> finished = Instant.parse(value);
          case "result" -> result =
              ReloadOutcome.Result.valueOf(value.toUpperCase(java.util.Locale.ROOT));
          case "summary" -> summary = value;
          case "error" -> errors.add(value);
          case "restart" -> restart.add(value);
          case "change" -> changes.add(value);
          default -> throw new IllegalArgumentException("unknown key");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + n + " not understood: " + line, e);
      }
    }
    if (pid == null || trigger == null || started == null || finished == null || result == null
        || summary == null) {
      throw new IllegalArgumentException("pid, trigger, started, finished, result or summary"
          + " missing");
    }
    return new Entry(pid, new ReloadOutcome(trigger, started, finished, result, summary, errors,
        restart, changes));
  }

  /** Replaces {@code file} with {@code entry}: temp file in the same directory, then rename. */
  static void write(Path file, Entry entry) throws IOException {
    // As the status file beside it: a temp file no one can plant a link at, and a link in the
    // file's place refused (the daemon never writes through one it did not make).
    Path target = Symlinks.REFUSE.target(file);
    try (TempFile tmp = TempFile.beside(target)) {
      tmp.write(render(entry).getBytes(StandardCharsets.UTF_8));
      tmp.renameOver(target);
    }
  }

  /**
   * Returns the entry in {@code file}, empty when there is none.
   *
   * @throws IllegalArgumentException when the file is not understood
   */
  public static Optional<Entry> read(Path file) throws IOException {
    try {
      return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Removes the file at a clean stop: a dead daemon's outcome answers no reload. */
  static void remove(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  private static String oneLine(String text) {
    return text.replace('\n', ' ').replace('\r', ' ');
  }
}
