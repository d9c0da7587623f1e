package net.anycast.healthchecker.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Logging settings of {@code [daemon]}. Nullable components are options with no default.
 *
 * @param level {@code loglevel}, lower-case: debug, info, warning, error or critical
 * @param logFile {@code log_file}, or null: log to the console
 * @param logServer {@code log_server}, or null: no UDP syslog
 * @param stderrFile {@code stderr_file}, or null
 * @param stderrLogServer {@code stderr_log_server}
 * @param serviceNameWidth longest section name + 1: the width of the thread-name column
 */
public record LogConfig(
    String level,
    Path logFile,
    long logMaxBytes,
    int logBackups,
    String logServer,
    int logServerPort,
    boolean jsonStdout,
    boolean jsonLogFile,
    boolean jsonLogServer,
    boolean formatJournalctl,
    Path stderrFile,
    boolean stderrLogServer,
    int serviceNameWidth) {

  public LogConfig {
    Objects.requireNonNull(level, "level");
  }
}
