package net.anycast.healthchecker.check;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import net.anycast.healthchecker.config.CheckSpec;

/**
 * {@code check_dns_*}: one query to one server over UDP, again over TCP when the answer comes
 * back truncated. dnsjava builds and parses the messages; the sockets are ours, so that the one
 * deadline covers both transports and the waits park the check's virtual thread (dnsjava's own
 * resolver adds a selector thread and a timeout per transport).
 */
public final class DnsCheck implements Check {
  /** Stray datagrams (wrong id, late answers of an earlier run) ignored before giving up. */
  private static final int STRAY_LIMIT = 16;

  private final CheckSpec.Dns spec;
  private final LongSupplier nanoTime;
  private final Record question;

  /** Returns the check of {@code spec}. */
  public DnsCheck(CheckSpec.Dns spec, LongSupplier nanoTime) {
    this.spec = spec;
    this.nanoTime = nanoTime;
    try {
      this.question = Record.newRecord(Name.fromString(spec.name(), Name.root), spec.type(),
          DClass.IN);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("check_dns_name was validated: " + spec.name(), e);
    }
  }

  @Override
  public CheckResult run(Duration timeout) throws InterruptedException {
    Deadline deadline = Deadline.after(timeout, nanoTime);
    Message query = Message.newQuery(question);
    String step = "UDP query";
    try {
      Message reply = udp(query, deadline);
      if (reply.getHeader().getFlag(Flags.TC)) {
        step = "TCP query after a truncated answer";
        reply = tcp(query, deadline);
      }
      return verdict(reply, deadline.elapsed());
    } catch (SocketTimeoutException e) {
      return CheckResult.TimedOut.builtIn(deadline.elapsed(), step + " timed out");
    } catch (IOException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("closing");
      }
      return new CheckResult.Failed(deadline.elapsed(), step + " failed: "
          + NetworkFailure.reason(e));
    }
  }

  private Message udp(Message query, Deadline deadline) throws IOException {
    byte[] wire = query.toWire();
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(spec.server());
      s.send(new DatagramPacket(wire, wire.length));
      byte[] buffer = new byte[65_535];
      for (int stray = 0; stray <= STRAY_LIMIT; stray++) {
        s.setSoTimeout(deadline.millisLeft());
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        s.receive(p);
        Message reply = parse(java.util.Arrays.copyOf(buffer, p.getLength()));
        if (reply != null && answers(query, reply)) {
          return reply;
        }
        if (deadline.passed()) {
          break;
        }
      }
      throw new SocketTimeoutException("no matching answer");
    }
  }

  private Message tcp(Message query, Deadline deadline) throws IOException {
    byte[] wire = query.toWire();
    try (Socket s = new Socket()) {
      s.connect(spec.server(), deadline.millisLeft());
      s.setSoTimeout(deadline.millisLeft());
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {(byte) (wire.length >> 8), (byte) wire.length});
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int length = in.readUnsignedShort();
      byte[] answer = new byte[length];
      s.setSoTimeout(deadline.millisLeft());
      in.readFully(answer);
      Message reply = parse(answer);
      if (reply == null || !answers(query, reply)) {
        throw new IOException("the TCP answer does not match the query");
      }
      return reply;
    }
  }

  private static Message parse(byte[] bytes) {
    try {
      return new Message(bytes);
    } catch (IOException e) {
      return null; // not a DNS message: treated like a stray datagram
    }
  }

  private static boolean answers(Message query, Message reply) {
    return reply.getHeader().getID() == query.getHeader().getID()
        && reply.getHeader().getFlag(Flags.QR)
        && (reply.getQuestion() == null || reply.getQuestion().equals(query.getQuestion()));
  }

  /** Returns the pure verdict on a reply: the expected rcode, then the expected answer. */
  CheckResult verdict(Message reply, Duration took) {
    int rcode = reply.getRcode();
    if (rcode != spec.rcode()) {
      String got = Rcode.string(rcode);
      return new CheckResult.Failed(took, spec.rcode() == Rcode.NOERROR ? got
          : got + ", expected " + Rcode.string(spec.rcode()));
    }
    String summary = Rcode.string(rcode) + " for " + spec.name() + " "
        + Type.string(spec.type());
    if (spec.expectedAnswer().isEmpty()) {
      return new CheckResult.Passed(took, summary);
    }
    String want = spec.expectedAnswer().get();
    List<Record> answers = reply.getSection(Section.ANSWER);
    for (Record r : answers) {
      if (r.getType() == spec.type() && r.rdataToString().equalsIgnoreCase(want)) {
        return new CheckResult.Passed(took, summary + ": " + want);
      }
    }
    List<String> got = answers.stream().filter(r -> r.getType() == spec.type())
        .map(Record::rdataToString).limit(5).toList();
    return new CheckResult.Failed(took, "no answer " + want + " for " + spec.name() + " "
        + Type.string(spec.type()) + " (got " + (got.isEmpty() ? "none" : String.join(", ", got))
        + ")");
  }

  @Override
  public String describe() {
    return Type.string(spec.type()) + " " + spec.target();
  }
}
