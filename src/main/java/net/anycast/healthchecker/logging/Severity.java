package net.anycast.healthchecker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Locale;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/** The five Python logging levels the original prints, with their syslog priorities. */
public enum Severity {
  DEBUG(7),
  INFO(6),
  WARNING(4),
  ERROR(3),
  CRITICAL(2);

  /**
   * SLF4J has no level above ERROR: log {@code log.error(Severity.CRITICAL_MARKER, …)} for the
   * messages the original logs with {@code log.critical} (fatal errors before exit).
   */
  public static final Marker CRITICAL_MARKER = MarkerFactory.getMarker("CRITICAL");

  private final int syslogPriority;

  Severity(int syslogPriority) {
    this.syslogPriority = syslogPriority;
  }

  /** Returns the RFC 5424 severity number: debug 7, info 6, warning 4, error 3, critical 2. */
  public int syslogPriority() {
    return syslogPriority;
  }

  /** Returns the severity of a Logback event; TRACE counts as DEBUG. */
  public static Severity of(ILoggingEvent event) {
    int level = event.getLevel().toInt();
    if (level >= Level.ERROR_INT) {
      return event.getMarkerList() != null && event.getMarkerList().contains(CRITICAL_MARKER)
          ? CRITICAL
          : ERROR;
    }
    if (level >= Level.WARN_INT) {
      return WARNING;
    }
    return level >= Level.INFO_INT ? INFO : DEBUG;
  }

  /**
   * Returns the severity named by {@code loglevel} (debug, info, warning, error, critical; any
   * case).
   *
   * @throws IllegalArgumentException for any other word
   */
  public static Severity parse(String loglevel) {
    try {
      return valueOf(loglevel.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid log level: " + loglevel, e);
    }
  }

  /** Returns the Logback level that lets every event of this severity or above through. */
  Level logbackLevel() {
    return switch (this) {
      case DEBUG -> Level.DEBUG;
      case INFO -> Level.INFO;
      case WARNING -> Level.WARN;
      case ERROR, CRITICAL -> Level.ERROR;
    };
  }
}
