package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeRehearsalTest {
  /** A JIT that compiles nothing: one round, no waiting. */
  private static final CompilerIdle QUIET = new CompilerIdle(() -> 0, d -> {});

  @TempDir Path dir;

  private BirdFamilyConfig family(IpFamily f, String dummy) {
    return new BirdFamilyConfig(f, dir.resolve("bird").resolve(f.label() + ".conf"),
        "ACAST_PS_ADVERTISE", "/bin/false", IpPrefix.parse(dummy), true, 5, null);
  }

  private BirdFamilyConfig v4() {
    return family(IpFamily.IPV4, "10.189.200.255/32");
  }

  private static ServiceConfig service(String name, String customCmd, String... prefixes) {
    return new ServiceConfig(name, "/bin/false", Duration.ofSeconds(10), Duration.ofSeconds(2),
        5, 4, true, OnDisabled.WITHDRAW, "lo", false,
        Stream.of(prefixes).map(IpPrefix::parse).toList(), customCmd, Duration.ofSeconds(2),
        OnDrain.WITHDRAW);
  }

  private ChangeRehearsal rehearsal(ServiceConfig s) throws IOException {
    return ChangeRehearsal.of(List.of(s), List.of(v4()), tmpRoot(), QUIET).orElseThrow();
  }

  private Path tmpRoot() throws IOException {
    return Files.createDirectories(dir.resolve("tmp"));
  }

  @Test
  void run_appliesEveryRehearsedChange_runsNoCommand_andLeavesNothingBehind() throws Exception {
    Path marker = dir.resolve("custom-command-ran");
    ServiceConfig s = service("foo.bar.com", "/usr/bin/touch " + marker, "10.52.12.1/32");
    ChangeRehearsal r = rehearsal(s);

    ChangeRehearsal.Result result = r.run();

    assertThat(result.rounds()).isEqualTo(1);
    assertThat(result.changes()).isEqualTo(2 * ChangeRehearsal.ROUND_TRIPS);
    assertThat(marker).doesNotExist(); // the operator's custom command never runs
    assertThat(dir.resolve("bird")).doesNotExist(); // the real prefix file is never touched
    try (Stream<Path> left = Files.list(tmpRoot())) {
      assertThat(left).isEmpty(); // the private directory is removed
    }
  }

  @Test
  void run_whileEveryRoundMakesTheJitCompile_runsAnotherRound_upToTheLimit() throws Exception {
    AtomicLong compiled = new AtomicLong();
    List<Duration> paused = new ArrayList<>();
    CompilerIdle busy = new CompilerIdle(compiled::incrementAndGet, paused::add); // never quiet
    ServiceConfig s = service("foo.bar.com", null, "10.52.12.1/32");
    ChangeRehearsal r =
        ChangeRehearsal.of(List.of(s), List.of(v4()), tmpRoot(), busy).orElseThrow();

    ChangeRehearsal.Result result = r.run();

    assertThat(result.rounds()).isEqualTo(ChangeRehearsal.MAX_ROUNDS);
    assertThat(result.changes()).isEqualTo(ChangeRehearsal.MAX_ROUNDS * 2 * ChangeRehearsal.ROUND_TRIPS);
    // Each round waited for quiet before and after, each wait up to its limit, and no longer.
    assertThat(paused).hasSize(ChangeRehearsal.MAX_ROUNDS * 2
        * (int) ChangeRehearsal.QUIET_LIMIT.dividedBy(CompilerIdle.POLL));
  }

  @Test
  void of_takesTheFirstServiceWithAPrefixOfAnEnabledFamily() throws Exception {
    ServiceConfig v6only = service("v6.only", null, "2001:db8::1/128");
    ServiceConfig both = service("both", null, "2001:db8::2/128", "10.52.12.2/32");

    Path tmp = tmpRoot();
    assertThat(ChangeRehearsal.of(List.of(v6only, both), List.of(v4()), tmp, QUIET)).isPresent();
    assertThat(ChangeRehearsal.of(List.of(v6only), List.of(v4()), tmp, QUIET)).isEmpty();
    assertThat(ChangeRehearsal.of(List.of(), List.of(v4()), tmp, QUIET)).isEmpty();
    assertThat(ChangeRehearsal.of(List.of(v6only), List.of(), tmp, QUIET)).isEmpty();
    // A service of both families rehearses in the first enabled one, with its prefixes only.
    ChangeRehearsal r = rehearsal(both);
    assertThat(r.run().changes()).isEqualTo(2 * ChangeRehearsal.ROUND_TRIPS);
  }

  @Test
  void privateCopy_dropsCustomCommandIpCheckAndOtherFamilies_capsStreaks_enablesCheck() {
    ServiceConfig s = service("foo.bar.com", "/usr/bin/touch /nonexistent", "10.52.12.1/32",
        "2001:db8::1/128");

    ServiceConfig copy = ChangeRehearsal.privateCopy(s, v4());

    assertThat(copy.customBirdReconfigureCmd()).isNull();
    assertThat(copy.customReconfigureCommand()).isEmpty();
    assertThat(copy.ipCheckDisabled()).isTrue();
    assertThat(copy.checkDisabled()).isFalse();
    assertThat(copy.prefixes()).containsExactly(IpPrefix.parse("10.52.12.1/32"));
    assertThat(copy.checkRise()).isEqualTo(ChangeRehearsal.MAX_STREAK);
    assertThat(copy.checkFail()).isEqualTo(ChangeRehearsal.MAX_STREAK);
    assertThat(copy.name()).isEqualTo(s.name());
    assertThat(copy.checks()).isEqualTo(s.checks());
  }

  @Test
  void run_interrupted_stopsAndRemovesItsDirectory() throws Exception {
    ServiceConfig s = service("foo.bar.com", null, "10.52.12.1/32");
    ChangeRehearsal r = rehearsal(s);

    Thread.currentThread().interrupt(); // the daemon stopping
    try {
      assertThatThrownBy(r::run).isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
    try (Stream<Path> left = Files.list(tmpRoot())) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void run_withoutItsTempDirectory_failsAtOnce_andRunLoggedSwallowsIt() throws Exception {
    Path missing = dir.resolve("no-such-dir");
    ServiceConfig s = service("foo.bar.com", null, "10.52.12.1/32");
    ChangeRehearsal r = ChangeRehearsal.of(List.of(s), List.of(v4()), missing, QUIET).orElseThrow();

    assertThatThrownBy(r::run).isInstanceOf(IOException.class);
    r.runLogged(); // logged at debug; never thrown at the daemon
    assertThat(missing).doesNotExist();
  }
}
