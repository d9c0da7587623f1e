package net.anycast.healthchecker.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import net.anycast.healthchecker.config.LogConfig;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from {@code [daemon]} settings the way the original's {@code setup_logger}
 * does: a rotating {@code log_file}, a UDP {@code log_server}, and the console only when neither
 * is set; each sink text or JSON; stderr optionally captured into {@code stderr_file} or the log
 * server.
 */
public final class LogSetup implements AutoCloseable {
  /** The program name in every line, and the JSON prefix. */
  public static final String PROGRAM = "anycast-healthchecker";

  private final LoggerContext context;
  private final PrintStream previousErr;
  private final List<SinkAppender> appenders;

  private LogSetup(LoggerContext context, PrintStream previousErr, List<SinkAppender> appenders) {
    this.context = context;
    this.previousErr = previousErr;
    this.appenders = appenders;
  }

  /**
   * Replaces any Logback configuration with the one {@code config} asks for, writing the console
   * sink to the process's real stderr and start-up notes to stdout.
   *
   * @throws IOException when the log file or the stderr file cannot be opened
   */
  public static LogSetup configure(LogConfig config, String version) throws IOException {
    return configure(
        config, version, new FileOutputStream(FileDescriptor.err), System.out, InstantSource.system());
  }

  /**
   * Replaces any Logback configuration; {@code console} is where the console sink writes and
   * {@code notes} receives the one start-up line the original prints.
   *
   * @throws IOException when the log file or the stderr file cannot be opened
   */
  public static LogSetup configure(
      LogConfig config, String version, OutputStream console, PrintStream notes, InstantSource clock)
      throws IOException {
    Severity threshold = Severity.parse(config.level());
    long pid = ProcessHandle.current().pid();
    ZoneId zone = ZoneId.systemDefault();
    LineFormat text = new TextFormat(PROGRAM, pid, config.serviceNameWidth(), zone);
    LineFormat json = new JsonFormat(PROGRAM, version, pid, zone);

    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    RehearsalFilter rehearsal = new RehearsalFilter();
    rehearsal.setContext(context);
    rehearsal.start();
    context.addTurboFilter(rehearsal);
    List<SinkAppender> appenders = new ArrayList<>();
    if (config.logFile() != null) {
      appenders.add(
          new SinkAppender(
              "log_file",
              threshold,
              config.jsonLogFile() ? json : text,
              new RotatingFile(config.logFile(), config.logMaxBytes(), config.logBackups())));
    }
    if (config.logServer() != null) {
      appenders.add(
          new SinkAppender(
              "log_server",
              threshold,
              config.jsonLogServer() ? json : text,
              new UdpSyslog(config.logServer(), config.logServerPort())));
    }
    if (config.logFile() == null && config.logServer() == null) {
      appenders.add(
          new SinkAppender(
              "console",
              threshold,
              config.jsonStdout() ? json : text,
              new StreamSink(console, config.formatJournalctl())));
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(threshold.logbackLevel());
    for (SinkAppender appender : appenders) {
      appender.setContext(context);
      appender.start();
      root.addAppender(appender);
    }

    PrintStream previousErr = System.err;
    Sink stderrSink = stderrSink(config);
    if (stderrSink == null) {
      notes.println("messages for unhandled exceptions will go to STDERR");
    } else {
      System.setErr(
          new PrintStream(
              new StderrCapture(stderrSink, PROGRAM, pid, zone, clock),
              true,
              StandardCharsets.UTF_8));
    }
    return new LogSetup(context, previousErr, List.copyOf(appenders));
  }

  /** Returns where stderr goes instead of the terminal, or null to leave it alone. */
  private static Sink stderrSink(LogConfig config) throws IOException {
    // The original can redirect stderr to one place only; the file wins.
    if (config.stderrFile() != null) {
      return new RotatingFile(config.stderrFile(), config.logMaxBytes(), config.logBackups());
    }
    if (config.stderrLogServer() && config.logServer() != null) {
      return new UdpSyslog(config.logServer(), config.logServerPort());
    }
    return null;
  }

  /**
   * Changes {@code loglevel} of every sink from now on (a reload); the sinks themselves (files,
   * server, formats) stay as they were configured.
   *
   * @throws IllegalArgumentException when {@code level} is not a log level
   */
  public void level(String level) {
    Severity threshold = Severity.parse(level);
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(threshold.logbackLevel());
    appenders.forEach(a -> a.threshold(threshold));
  }

  /** Flushes and closes every sink and gives stderr back. */
  @Override
  public void close() {
    PrintStream captured = System.err;
    if (captured != previousErr) {
      System.setErr(previousErr);
      captured.close();
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (SinkAppender appender : appenders) {
      root.detachAppender(appender);
      appender.stop();
    }
  }
}
