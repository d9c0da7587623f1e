package net.anycast.healthchecker.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import net.anycast.healthchecker.daemon.LoopProgress;

/**
 * A Nagios plugin in spirit of the original's {@code check_anycast_healthchecker.py}: is the
 * daemon of the pidfile running, and is every service loop and the reconciler alive? The original
 * counted threads with {@code ps}; a thread that is alive but stuck passed. Here each loop's last
 * progress, from the status file, must be within its allowed gap.
 *
 * <p>Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, with one line of output and performance data.
 */
public final class NagiosCheck {
  /** The status file may be this many intervals old before WARNING, and CRITICAL. */
  private static final int WARN_INTERVALS = 2;
  private static final int CRIT_INTERVALS = 5;

  private NagiosCheck() {}

  /** A Nagios verdict: the exit code and the one line to print. */
  public record Result(int exitCode, String line) {
    static Result ok(String text) {
      return new Result(0, "OK - " + text);
    }

    static Result warning(String text) {
      return new Result(1, "WARNING - " + text);
    }

    static Result critical(String text) {
      return new Result(2, "CRITICAL - " + text);
    }

    static Result unknown(String text) {
      return new Result(3, "UNKNOWN - " + text);
    }
  }

  /** Reads the pidfile and its status file and returns the verdict at the clock's now. */
  public static Result run(Path pidfile, InstantSource clock) {
    return run(pidfile, StatusFile.besidePidfile(pidfile), clock,
        pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  static Result run(Path pidfile, Path statusFile, InstantSource clock, LongPredicate running) {
    String pidText;
    try {
      pidText = Files.readString(pidfile, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return Result.critical("anycast-healthchecker could be down as pidfile " + pidfile
          + " doesn't exist");
    } catch (IOException e) {
      return Result.unknown("error while reading pidfile " + pidfile + ": " + e);
    }
    long pid;
    try {
      pid = Long.parseLong(pidText);
    } catch (NumberFormatException e) {
      return Result.unknown("stale pidfile " + pidfile + " with invalid data: '" + pidText + "'");
    }
    if (pid <= 1) {
      return Result.unknown("invalid PID (" + pid + ") in pidfile " + pidfile);
    }
    if (!running.test(pid)) {
      return Result.critical("anycast-healthchecker with pid " + pid + " isn't running");
    }
    StatusFile.Status status;
    try {
      status = StatusFile.read(statusFile);
    } catch (NoSuchFileException e) {
      return Result.unknown("anycast-healthchecker (pid " + pid + ") runs but status file "
          + statusFile + " doesn't exist");
    } catch (IOException | IllegalArgumentException e) {
      return Result.unknown("cannot read status file " + statusFile + ": " + e.getMessage());
    }
    return evaluate(pid, status, clock.instant());
  }

  /** Returns the verdict for a running daemon {@code pid} whose status file says {@code status}. */
  static Result evaluate(long pid, StatusFile.Status status, Instant now) {
    if (status.pid() != pid) {
      return Result.unknown("status file was written by pid " + status.pid()
          + " but the pidfile names pid " + pid);
    }
    Duration age = Duration.between(status.written(), now);
    List<LoopProgress> stalled = status.loops().stream().filter(l -> l.stalled(now)).toList();
    String perf = " | loops=" + status.loops().size() + " stalled=" + stalled.size()
        + " status_age=" + Math.max(0, age.toMillis()) / 1000.0 + "s";
    if (age.compareTo(status.interval().multipliedBy(CRIT_INTERVALS)) > 0) {
      return Result.critical("anycast-healthchecker (pid " + pid + ") has not updated its status"
          + " for " + seconds(age) + " (expected every " + seconds(status.interval()) + ")" + perf);
    }
    if (!stalled.isEmpty()) {
      String names = stalled.stream()
          .map(l -> l.name() + " (no progress for " + seconds(Duration.between(l.lastProgress(), now))
              + ", allowed " + seconds(l.allowedGap()) + ")")
          .collect(Collectors.joining(", "));
      return Result.critical(stalled.size() + " of " + status.loops().size()
          + " loops of anycast-healthchecker (pid " + pid + ") are stuck: " + names + perf);
    }
    if (age.compareTo(status.interval().multipliedBy(WARN_INTERVALS)) > 0) {
      return Result.warning("anycast-healthchecker (pid " + pid + ") status is " + seconds(age)
          + " old (expected every " + seconds(status.interval()) + ")" + perf);
    }
    return Result.ok("anycast-healthchecker (pid " + pid + ") is running and all "
        + status.loops().size() + " loops are alive" + perf);
  }

  private static String seconds(Duration d) {
    return Math.max(0, d.toMillis()) / 1000.0 + "s";
  }
}
