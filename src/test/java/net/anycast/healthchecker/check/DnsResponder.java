package net.anycast.healthchecker.check;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A small DNS server on loopback (UDP and TCP on one port) whose answer depends on the name:
 * {@code ok.test} 192.0.2.1, {@code fail.test} SERVFAIL, {@code missing.test} NXDOMAIN,
 * {@code big.test} truncated over UDP and 192.0.2.7 over TCP, {@code silent.test} nothing.
 */
final class DnsResponder implements AutoCloseable {
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final Thread udpThread;
  private final Thread tcpThread;
  final AtomicInteger tcpQueries = new AtomicInteger();

  DnsResponder() throws IOException {
    DatagramSocket u = null;
    ServerSocket t = null;
    for (int i = 0; i < 20 && t == null; i++) {
      u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try {
        t = new ServerSocket(u.getLocalPort(), 8, InetAddress.getLoopbackAddress());
      } catch (IOException taken) {
        u.close();
      }
    }
    if (t == null) {
      throw new IOException("no port free for both UDP and TCP");
    }
    udp = u;
    tcp = t;
    udpThread = Thread.ofVirtual().start(this::serveUdp);
    tcpThread = Thread.ofVirtual().start(this::serveTcp);
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
  }

  private void serveUdp() {
    byte[] buf = new byte[512];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        Message reply = answer(new Message(Arrays.copyOf(buf, p.getLength())), false);
        if (reply != null) {
          byte[] wire = reply.toWire();
          udp.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try (Socket c = tcp.accept()) {
        tcpQueries.incrementAndGet();
        DataInputStream in = new DataInputStream(c.getInputStream());
        byte[] q = new byte[in.readUnsignedShort()];
        in.readFully(q);
        Message reply = answer(new Message(q), true);
        if (reply != null) {
          byte[] wire = reply.toWire();
          OutputStream out = c.getOutputStream();
          out.write(new byte[] {(byte) (wire.length >> 8), (byte) wire.length});
          out.write(wire);
          out.flush();
        }
      } catch (IOException e) {
        if (tcp.isClosed()) {
          return;
        }
      }
    }
  }

  private static Message answer(Message query, boolean overTcp) throws IOException {
    Record q = query.getQuestion();
    String name = q.getName().toString();
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.addRecord(q, Section.QUESTION);
    switch (name) {
      case "ok.test." -> reply.addRecord(a(q, "192.0.2.1"), Section.ANSWER);
      case "fail.test." -> reply.getHeader().setRcode(Rcode.SERVFAIL);
      case "missing.test." -> reply.getHeader().setRcode(Rcode.NXDOMAIN);
      case "big.test." -> {
        if (overTcp) {
          reply.addRecord(a(q, "192.0.2.7"), Section.ANSWER);
        } else {
          reply.getHeader().setFlag(Flags.TC);
        }
      }
      default -> {
        return null; // silent.test: no answer at all
      }
    }
    return reply;
  }

  private static Record a(Record q, String address) throws IOException {
    return new ARecord(q.getName(), DClass.IN, 60, InetAddress.getByName(address));
  }

  @Override
  public void close() throws InterruptedException, IOException {
    udp.close();
    tcp.close();
    udpThread.join(5_000);
    tcpThread.join(5_000);
  }
}
