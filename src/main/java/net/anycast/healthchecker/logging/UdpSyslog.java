package net.anycast.healthchecker.logging;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * UDP syslog as Python's {@code SysLogHandler((host, port))} sends it: one datagram per record,
 * {@code <PRI>} with facility user (1), the record as formatted (the text format already carries
 * {@code anycast-healthchecker[pid]} as its tag), a trailing NUL, UTF-8, no RFC 3164 header.
 * Sending never blocks; a datagram the kernel refuses is dropped.
 */
final class UdpSyslog implements Sink {
  private static final int FACILITY_USER = 1;

  private final String host;
  private final int port;
  private final DatagramChannel channel;
  private InetSocketAddress target;

  UdpSyslog(String host, int port) throws IOException {
    this.host = host;
    this.port = port;
    this.channel = DatagramChannel.open();
    channel.configureBlocking(false);
    this.target = new InetSocketAddress(host, port);
  }

  /** Returns the datagram for one record: {@code <PRI>record\0}. */
  static byte[] datagram(String record, Severity severity) {
    int pri = FACILITY_USER * 8 + severity.syslogPriority();
    return ("<" + pri + ">" + record + "\0").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void write(String record, Severity severity) throws IOException {
    if (target.isUnresolved()) {
      // The name did not resolve at start-up; Python resolves on every send, so try again.
      target = new InetSocketAddress(host, port);
      if (target.isUnresolved()) {
        throw new IOException("cannot resolve log server " + host);
      }
    }
    channel.send(ByteBuffer.wrap(datagram(record, severity)), target);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
