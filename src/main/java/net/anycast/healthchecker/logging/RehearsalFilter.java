package net.anycast.healthchecker.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Drops every log call made on a thread that carries {@link LogFields#REHEARSAL} in its MDC, before
 * an event is made (and answers "disabled" to {@code isInfoEnabled()} and the like there). The
 * change rehearsal runs the same classes as the real services, with the same loggers; its lines
 * about a service that does not exist and a file BIRD never reads must not reach the operator's
 * log. A logger-level switch cannot do it: the loggers are the real services' too.
 */
final class RehearsalFilter extends TurboFilter {
  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format,
      Object[] params, Throwable t) {
    return MDC.get(LogFields.REHEARSAL) == null ? FilterReply.NEUTRAL : FilterReply.DENY;
  }
}
