package net.anycast.healthchecker.logging;

import java.io.IOException;

/** Where formatted records go: the console, a rotating file or a UDP syslog server. */
interface Sink extends AutoCloseable {
  /** Writes one record; {@code record} has no line end. */
  void write(String record, Severity severity) throws IOException;

  @Override
  void close() throws IOException;
}
