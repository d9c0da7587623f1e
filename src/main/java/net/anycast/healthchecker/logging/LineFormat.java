package net.anycast.healthchecker.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Turns one event into one log record (without the line end); text or JSON. */
interface LineFormat {
  DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

  String format(ILoggingEvent event);

  /** Returns Python logging's {@code asctime}: local time with a comma before milliseconds. */
  static String asctime(long epochMillis, ZoneId zone) {
    return ASCTIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
  }

  /** Returns the service of the event, or {@code MainThread} like the original's main thread. */
  static String serviceName(ILoggingEvent event) {
    String name = event.getMDCPropertyMap().get(LogFields.SERVICE_NAME);
    return name == null ? LogFields.MAIN_THREAD : name;
  }

  /** Returns the event's stack trace as text, or null when it carries no throwable. */
  static String stackTrace(ILoggingEvent event) {
    return event.getThrowableProxy() == null
        ? null
        : ThrowableProxyUtil.asString(event.getThrowableProxy()).stripTrailing();
  }
}
