package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.anycast.healthchecker.config.CheckSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The DNS check against a small responder on loopback, one test per outcome. */
class DnsCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private DnsResponder server;

  @BeforeEach
  void start() throws Exception {
    server = new DnsResponder();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private CheckResult run(String name, int rcode, String answer, Duration timeout)
      throws InterruptedException {
    var spec = new CheckSpec.Dns(server.address(), name, Type.A, rcode, answer);
    return new DnsCheck(spec, System::nanoTime).run(timeout);
  }

  @Test
  void noerror_passes() throws Exception {
    CheckResult r = run("ok.test", Rcode.NOERROR, null, TIMEOUT);
    assertThat(r.reason()).isEqualTo("NOERROR for ok.test A");
    assertThat(r.passed()).isTrue();
  }

  @Test
  void expectedAnswer_passesWhenPresentAndFailsOtherwise() throws Exception {
    assertThat(run("ok.test", Rcode.NOERROR, "192.0.2.1", TIMEOUT).passed()).isTrue();
    CheckResult r = run("ok.test", Rcode.NOERROR, "192.0.2.9", TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo("no answer 192.0.2.9 for ok.test A (got 192.0.2.1)");
  }

  @Test
  void servfail_fails() throws Exception {
    CheckResult r = run("fail.test", Rcode.NOERROR, null, TIMEOUT);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(r.reason()).isEqualTo("SERVFAIL");
  }

  @Test
  void nxdomain_failsUnlessExpected() throws Exception {
    assertThat(run("missing.test", Rcode.NOERROR, null, TIMEOUT).reason()).isEqualTo("NXDOMAIN");
    assertThat(run("missing.test", Rcode.NXDOMAIN, null, TIMEOUT).passed()).isTrue();
    assertThat(run("ok.test", Rcode.NXDOMAIN, null, TIMEOUT).reason())
        .isEqualTo("NOERROR, expected NXDOMAIN");
  }

  @Test
  void truncatedAnswer_isAskedAgainOverTcp() throws Exception {
    CheckResult r = run("big.test", Rcode.NOERROR, "192.0.2.7", TIMEOUT);
    assertThat(r.reason()).isEqualTo("NOERROR for big.test A: 192.0.2.7");
    assertThat(server.tcpQueries.get()).isEqualTo(1);
  }

  @Test
  void silentServer_timesOutWithinTheDeadline() throws Exception {
    long start = System.nanoTime();
    CheckResult r = run("silent.test", Rcode.NOERROR, null, Duration.ofMillis(300));
    assertThat(r).isInstanceOf(CheckResult.TimedOut.class);
    assertThat(r.reason()).isEqualTo("UDP query timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }
}
