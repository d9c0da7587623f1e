package net.anycast.healthchecker.check;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what a class logs, through logback (the SLF4J backend on the classpath). */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  // Logback reads an event's MDC lazily; snapshot it while the caller's MDC is still set.
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing();
      super.append(event);
    }
  };
  private final Level previousLevel;

  public LogCapture(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    // Other tests in the same JVM configure logging (LogSetup); capture regardless of their level.
    previousLevel = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    appender.start();
    logger.addAppender(appender);
  }

  public List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  public List<String> messages() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previousLevel);
  }
}
