package net.anycast.healthchecker.bird;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pure reading of BIRD's answers: control-socket reply lines and {@code birdc} output.
 *
 * <p>On the socket every line is {@code DDDD-text} (more follows), {@code DDDD text} (the last
 * line), {@code " text"} (continues the previous code) or {@code +text} (an asynchronous
 * message, not part of the reply). Codes 0xxx succeed, 8xxx/9xxx are errors (1.6 and 2.x).
 */
public final class BirdReply {
  /** {@code 0003 Reconfigured}, {@code 0004 Reconfiguration in progress}, {@code 0005 … queueing}. */
  static final Set<Integer> RECONFIGURE_OK = Set.of(3, 4, 5);
  static final int WELCOME = 1;
  static final int CONFIGURATION_OK = 20;

  private BirdReply() {}

  /** One line of a control-socket reply. */
  public record Line(int code, String text, boolean last) {}

  /**
   * Returns the line {@code raw} (without its newline) as a reply line, or empty for an
   * asynchronous {@code +} message; {@code previousCode} is used by continuation lines.
   *
   * @throws IllegalArgumentException when the line is not BIRD's protocol
   */
  public static Optional<Line> parseLine(String raw, int previousCode) {
    if (raw.startsWith("+")) {
      return Optional.empty();
    }
    if (raw.startsWith(" ")) {
      return Optional.of(new Line(previousCode, raw.substring(1), false));
    }
    if (raw.length() < 5 || !raw.substring(0, 4).chars().allMatch(Character::isDigit)
        || (raw.charAt(4) != ' ' && raw.charAt(4) != '-')) {
      throw new IllegalArgumentException("not a BIRD reply line: '" + abbreviate(raw) + "'");
    }
    return Optional.of(
        new Line(Integer.parseInt(raw.substring(0, 4)), raw.substring(5), raw.charAt(4) == ' '));
  }

  /** Returns the outcome of {@code configure}, given every line of BIRD's reply. */
  public static ReconfigureResult ofConfigure(List<Line> reply) {
    for (Line l : reply) {
      if (RECONFIGURE_OK.contains(l.code())) {
        return new ReconfigureResult.Confirmed(l.text());
      }
    }
    return new ReconfigureResult.Failed(errorText(reply));
  }

  /** What {@code configure status} says of the last {@code configure}. */
  enum ConfigureStatus {
    /** 0003 {@code Daemon is up and running}: the new configuration is in effect. */
    DONE,
    /** 0004/0005 {@code Reconfiguration in progress}: BIRD 3 is still applying it. */
    IN_PROGRESS,
    /** Anything else (shutting down, a BIRD that does not know the command). */
    OTHER
  }

  /**
   * Returns whether a confirmed {@code configure} was only accepted, not yet applied: BIRD 3
   * answers {@code 0004 Reconfiguration in progress} (upstream issue #55) while protocols
   * restart, and {@code 0005 … queueing} behind a running one. Then {@code configure status}
   * tells when it is done.
   */
  static boolean stillApplying(ReconfigureResult.Confirmed c) {
    return c.reply().startsWith("Reconfiguration");
  }

  /** Returns what the reply to {@code configure status} says. */
  static ConfigureStatus ofConfigureStatus(List<Line> reply) {
    for (Line l : reply) {
      if (l.code() == 3) {
        return ConfigureStatus.DONE;
      }
      if (l.code() == 4 || l.code() == 5) {
        return ConfigureStatus.IN_PROGRESS;
      }
    }
    return ConfigureStatus.OTHER;
  }

  /** Returns what {@code birdc configure status} printed, with or without {@code -v} codes. */
  static ConfigureStatus ofBirdcConfigureStatus(String output) {
    for (String raw : output.split("\\R")) {
      String s = withoutCode(raw.strip());
      if (s.equals("Daemon is up and running")) {
        return ConfigureStatus.DONE;
      }
      if (s.startsWith("Reconfiguration in progress")) {
        return ConfigureStatus.IN_PROGRESS;
      }
    }
    return ConfigureStatus.OTHER;
  }

  private static String withoutCode(String s) {
    return s.length() > 5 && s.substring(0, 4).chars().allMatch(Character::isDigit)
        && (s.charAt(4) == ' ' || s.charAt(4) == '-') ? s.substring(5).strip() : s;
  }

  /** Returns the outcome of {@code configure check}: confirmed only on 0020. */
  public static ReconfigureResult ofConfigureCheck(List<Line> reply) {
    return reply.stream().filter(l -> l.code() == CONFIGURATION_OK).findFirst()
        .<ReconfigureResult>map(l -> new ReconfigureResult.Confirmed(l.text()))
        .orElseGet(() -> new ReconfigureResult.Failed(errorText(reply)));
  }

  /**
   * Returns the outcome of a reconfigure command from its output. Success only when a line is
   * {@code Reconfigured} or {@code Reconfiguration in progress} (BIRD 3), with or without the
   * code {@code birdc -v} prints; the exit code alone proves nothing ({@code birdc} 1.6 exits 0
   * on a bad configuration).
   */
  public static ReconfigureResult ofBirdcOutput(String output, int exitCode) {
    for (String raw : output.split("\\R")) {
      String s = raw.strip();
      if (s.length() > 5 && s.substring(0, 4).chars().allMatch(Character::isDigit)
          && (s.charAt(4) == ' ' || s.charAt(4) == '-')) {
        s = s.substring(5).strip();
      }
      if (s.equals("Reconfigured") || s.startsWith("Reconfiguration in progress")
          || s.startsWith("Reconfiguration already in progress")) {
        return new ReconfigureResult.Confirmed(s);
      }
    }
    String text = output.strip().lines().collect(Collectors.joining(" | "));
    return new ReconfigureResult.Failed(
        "exit code " + exitCode + ", no 'Reconfigured' in the reply: " + abbreviate(text));
  }

  /** Returns BIRD's error lines (8xxx/9xxx and what continues them), else the whole reply. */
  static String errorText(List<Line> reply) {
    List<String> errors = new ArrayList<>();
    for (Line l : reply) {
      if (l.code() >= 8000) {
        errors.add(String.format("%04d %s", l.code(), l.text()));
      }
    }
    if (errors.isEmpty()) {
      reply.forEach(l -> errors.add(String.format("%04d %s", l.code(), l.text())));
    }
    return errors.isEmpty() ? "empty reply" : String.join(" | ", errors);
  }

  static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "…";
  }
}
