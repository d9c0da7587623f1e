package net.anycast.healthchecker.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;

/** Sends the events at or above a threshold, formatted, to one sink. */
final class SinkAppender extends AppenderBase<ILoggingEvent> {
  private volatile Severity threshold; // loglevel: a reload may change it
  private final LineFormat format;
  private final Sink sink;

  SinkAppender(String name, Severity threshold, LineFormat format, Sink sink) {
    this.threshold = threshold;
    this.format = format;
    this.sink = sink;
    setName(name);
  }

  /** Sets the lowest severity this sink writes from now on. */
  void threshold(Severity newThreshold) {
    threshold = newThreshold;
  }

  @Override
  protected void append(ILoggingEvent event) {
    Severity severity = Severity.of(event);
    if (severity.compareTo(threshold) < 0) {
      return;
    }
    try {
      sink.write(format.format(event), severity);
    } catch (IOException e) {
      // Like Python's Handler.handleError: a failing sink must not take the daemon down.
      addError("cannot write a log record to " + getName(), e);
    }
  }

  @Override
  public void stop() {
    super.stop();
    try {
      sink.close();
    } catch (IOException e) {
      addError("cannot close " + getName(), e);
    }
  }
}
