package net.anycast.healthchecker.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import net.anycast.healthchecker.config.LoadedConfig;

/** What the drain commands say last: whether a running daemon picks the change up now. */
final class DaemonNote {
  private DaemonNote() {}

  /** Returns the pid of the daemon named by the configured pidfile, when it is alive. */
  static Optional<Long> runningPid(LoadedConfig loaded) {
    return runningPid(loaded.configuration().daemon().pidfile());
  }

  /** Returns the pid in {@code pidfile} when that process is alive. */
  static Optional<Long> runningPid(Path pidfile) {
    try {
      long pid = Long.parseLong(Files.readString(pidfile).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static String of(LoadedConfig loaded) {
    return runningPid(loaded)
        .map(pid -> "the running daemon (pid " + pid + ") applies it within a second")
        .orElse("no daemon is running; it applies from the daemon's first pass when it starts");
  }
}
