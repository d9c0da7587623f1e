package net.anycast.healthchecker.override;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One difference between two published drain snapshots, for the log.
 *
 * @param drain the new drain for {@link Kind#STARTED} and {@link Kind#CHANGED}; the one that
 *     ended for {@link Kind#ENDED}; the one whose expiration passed for {@link Kind#EXPIRED}
 */
record DrainChange(Kind kind, Drain drain) {
  /** Longer reasons are cut in the message (never in the MDC field). */
  private static final int MESSAGE_REASON_CHARS = 200;

  enum Kind {
    STARTED, ENDED, EXPIRED, CHANGED;

    /** Returns the word in the {@code drain_event} field. */
    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Returns what changed from {@code before} to {@code after}, in spool name order. A drain that
   * left counts as expired when its expiration (or that of the file as just {@code read}) is
   * past at {@code now}, else as ended by the file's removal.
   */
  static List<DrainChange> between(Drains before, Drains after, Drains read, Instant now) {
    TreeSet<String> names = new TreeSet<>(before.all().keySet());
    names.addAll(after.all().keySet());
    List<DrainChange> changes = new ArrayList<>();
    for (String name : names) {
      Optional<Drain> was = before.byName(name);
      Optional<Drain> is = after.byName(name);
      if (was.isEmpty()) {
        changes.add(new DrainChange(Kind.STARTED, is.orElseThrow()));
      } else if (is.isEmpty()) {
        changes.add(ended(was.get(), read.byName(name), now));
      } else if (!was.equals(is)) {
        changes.add(new DrainChange(Kind.CHANGED, is.get()));
      }
    }
    return changes;
  }

  private static DrainChange ended(Drain was, Optional<Drain> onDisk, Instant now) {
    if (onDisk.isPresent() && onDisk.get().expiredAt(now)) {
      return new DrainChange(Kind.EXPIRED, onDisk.get());
    }
    return new DrainChange(was.expiredAt(now) ? Kind.EXPIRED : Kind.ENDED, was);
  }

  /** Returns the log line; {@code file} is the spool file of the drain. */
  String message(Path file) {
    String name = drain.spoolName();
    return switch (kind) {
      case STARTED -> "drain of " + name + " started: " + details(file);
      case CHANGED -> "drain of " + name + " changed: " + details(file);
      case ENDED -> "drain of " + name + " ended (spool file removed)";
      case EXPIRED -> "drain of " + name + " expired at " + drain.expiration().orElseThrow();
    };
  }

  private String details(Path file) {
    String until = drain.expiration().map(t -> "until " + t).orElse("no expiry");
    return printable(drain.reason()) + " (spool file " + file + ", " + until + ")";
  }

  /**
   * Returns the reason fit for one log line: a legacy spool file's text may hold line ends or
   * be long, and must neither split the line nor flood the log.
   */
  static String printable(String reason) {
    if (reason.isEmpty()) {
      return "(no reason given)";
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (; i < reason.length() && out.length() < MESSAGE_REASON_CHARS; i++) {
      char c = reason.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(Character.isISOControl(c) ? String.format("\\x%02x", (int) c) : c);
      }
    }
    return i < reason.length() ? out.append('…').toString() : out.toString();
  }
}
