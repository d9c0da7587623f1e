package net.anycast.healthchecker.check;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import net.anycast.healthchecker.config.CheckSpec;

/**
 * {@code check_tcp_*}: connect (then a TLS handshake when asked), send the configured bytes,
 * and read until the expected bytes appear. Blocking socket calls on the check's virtual
 * thread park it; no platform thread waits. A fresh connection per run: a TCP check asks
 * whether new connections are accepted. A plain connect (no TLS, nothing to send or expect) runs
 * on a reactor instead ({@link TcpConnectCheck}); the hacheck proxy's {@code /tcp/} probes stay
 * here.
 */
public final class TcpCheck implements Check {
  /** How much a server may send before the expected bytes; more fails the run. */
  static final int READ_LIMIT = 64 * 1024;

  private final CheckSpec.Tcp spec;
  private final LongSupplier nanoTime;
  private final SSLContext tls; // null: plain TCP, or the CA file could not be read
  private final String tlsProblem;

  /** Returns the check of {@code spec}. */
  public TcpCheck(CheckSpec.Tcp spec, LongSupplier nanoTime) {
    this.spec = spec;
    this.nanoTime = nanoTime;
    SSLContext ctx = null;
    String problem = null;
    if (spec.tlsOptions().isPresent()) {
      try {
        ctx = TlsContexts.context(spec.tlsOptions().get());
      } catch (IOException e) {
        problem = e.getMessage();
      }
    }
    this.tls = ctx;
    this.tlsProblem = problem;
  }

  @Override
  public CheckResult run(Duration timeout) throws InterruptedException {
    Deadline deadline = Deadline.after(timeout, nanoTime);
    if (tlsProblem != null) {
      return new CheckResult.Failed(deadline.elapsed(), tlsProblem);
    }
    String step = "connect";
    try (Socket plain = new Socket()) {
      plain.connect(spec.address(), deadline.millisLeft());
      Socket s = plain;
      if (tls != null) {
        step = "TLS handshake";
        s = handshake(plain, deadline);
      }
      if (spec.send().length > 0) {
        step = "send";
        s.getOutputStream().write(spec.send());
        s.getOutputStream().flush();
      }
      if (spec.expect().length > 0) {
        step = "expect";
        return expect(s, deadline);
      }
      return new CheckResult.Passed(deadline.elapsed(), "connected to " + spec.target());
    } catch (SocketTimeoutException e) {
      return CheckResult.TimedOut.builtIn(deadline.elapsed(), step + " timed out");
    } catch (IOException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("closing");
      }
      String reason = NetworkFailure.reason(e);
      return new CheckResult.Failed(deadline.elapsed(),
          step.equals("connect") || reason.startsWith("TLS") ? reason
              : step + " failed: " + reason);
    }
  }

  private SSLSocket handshake(Socket plain, Deadline deadline) throws IOException {
    CheckSpec.Tls options = spec.tlsOptions().orElseThrow();
    String host = options.sni().orElse(spec.address().getAddress().getHostAddress());
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, host,
        spec.address().getPort(), true);
    s.setSSLParameters(TlsContexts.parameters(tls, options));
    plain.setSoTimeout(deadline.millisLeft());
    s.startHandshake();
    return s;
  }

  private CheckResult expect(Socket s, Deadline deadline) throws IOException {
    byte[] want = spec.expect();
    byte[] got = new byte[READ_LIMIT];
    int have = 0;
    InputStream in = s.getInputStream();
    while (have < got.length) {
      if (deadline.passed()) {
        throw new SocketTimeoutException();
      }
      s.setSoTimeout(deadline.millisLeft());
      int n = in.read(got, have, got.length - have);
      if (n < 0) {
        return new CheckResult.Failed(deadline.elapsed(), "connection closed before "
            + quoted(want) + " arrived (got " + quoted(Arrays.copyOf(got, have)) + ")");
      }
      have += n;
      if (indexOf(got, have, want) >= 0) {
        return new CheckResult.Passed(deadline.elapsed(), "got " + quoted(want) + " from "
            + spec.target());
      }
    }
    return new CheckResult.Failed(deadline.elapsed(), quoted(want) + " not in the first "
        + READ_LIMIT + " bytes");
  }

  static int indexOf(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Returns at most 60 bytes as printable text, other bytes as {@code \xHH}. */
  static String quoted(byte[] bytes) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < Math.min(60, bytes.length); i++) {
      int b = bytes[i] & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '\\' && b != '\'') {
        sb.append((char) b);
      } else {
        sb.append(String.format("\\x%02x", b));
      }
    }
    return sb.append(bytes.length > 60 ? "…'" : "'").toString();
  }

  @Override
  public String describe() {
    return spec.target();
  }
}
