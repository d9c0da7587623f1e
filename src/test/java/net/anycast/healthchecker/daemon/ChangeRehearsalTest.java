package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import net.anycast.healthchecker.check.CheckGroup;
import net.anycast.healthchecker.check.ExecCheck;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.config.LogConfig;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.logging.LogSetup;
import net.anycast.healthchecker.process.ProcessRunner;
import net.anycast.healthchecker.reactor.Reactors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeRehearsalTest {
  /** A JIT that compiles nothing: one round, no waiting. */
  private static final CompilerIdle QUIET = new CompilerIdle(() -> 0, d -> {});

  @TempDir Path dir;
  /** The commands the rehearsal asked checks of, in order. */
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private static final ProcessRunner RUNNER = new ProcessRunner();
  private final Reactors reactors = Reactors.start(1, System::nanoTime);
  /** Real exec checks, as the service loops make them: begun on a reactor. */
  private final Function<ServiceConfig, CheckGroup> checks = s -> {
    commands.add(s.checkCmd().orElseThrow());
    return CheckGroup.single("exec",
        new ExecCheck(s.checkCmd().orElseThrow(), RUNNER, reactors.of(s.name())));
  };
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private LogSetup logs;

  @AfterEach
  void tearDown() {
    if (logs != null) {
      logs.close();
    }
    reactors.close();
  }

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
    return ChangeRehearsal.of(List.of(s), List.of(v4()), tmpRoot(), checks, QUIET).orElseThrow();
  }

  /** Sends the daemon's log, at {@code level}, to {@code console} (stderr is dropped). */
  private void logToConsole(String level) throws IOException {
    logs = LogSetup.configure(new LogConfig(level, null, 104857600, 8, null, 514, false, false,
        false, false, null, false, 12), "0.10.0", console,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        InstantSource.system());
  }

  private Path tmpRoot() throws IOException {
    return Files.createDirectories(dir.resolve("tmp"));
  }

  @Test
  void run_appliesEveryRehearsedChange_runsNoCommand_andLeavesNothingBehind() throws Exception {
    Path marker = dir.resolve("custom-command-ran");
    ServiceConfig s = service("foo.bar.com", "/usr/bin/touch " + marker, "10.52.12.1/32");
    s = new ServiceConfig(s.name(), "/usr/bin/touch " + dir.resolve("check-ran"),
        s.checkInterval(), s.checkTimeout(), s.checkRise(), s.checkFail(), s.checkDisabled(),
        s.onDisabled(), s.interfaceName(), s.ipCheckDisabled(), s.prefixes(),
        s.customBirdReconfigureCmd(), s.customBirdReconfigureCmdTimeout(), s.onDrain());
    ChangeRehearsal r = rehearsal(s);

    ChangeRehearsal.Result result = r.run();

    assertThat(result.rounds()).isEqualTo(1);
    assertThat(result.changes()).isEqualTo(2 * ChangeRehearsal.ROUND_TRIPS);
    assertThat(marker).doesNotExist(); // the operator's custom command never runs
    assertThat(dir.resolve("check-ran")).doesNotExist(); // nor its check_cmd
    assertThat(commands).containsExactly(ChangeRehearsal.PASS, ChangeRehearsal.FAIL);
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
        ChangeRehearsal.of(List.of(s), List.of(v4()), tmpRoot(), checks, busy).orElseThrow();

    ChangeRehearsal.Result result = r.run();

    assertThat(result.rounds()).isEqualTo(ChangeRehearsal.MAX_ROUNDS);
    assertThat(result.changes())
        .isEqualTo(ChangeRehearsal.MAX_ROUNDS * 2 * ChangeRehearsal.ROUND_TRIPS);
    // Each round waited for quiet before and after, each wait up to its limit, and no longer.
    assertThat(paused).hasSize(ChangeRehearsal.MAX_ROUNDS * 2
        * (int) ChangeRehearsal.QUIET_LIMIT.dividedBy(CompilerIdle.POLL));
  }

  @Test
  void runLogged_logsOnlyItsOutcome_thoughItsChecksEndOnTheRealChecksReactor() throws Exception {
    logToConsole("debug");
    ServiceConfig s = service("foo.bar.com", null, "10.52.12.1/32");

    rehearsal(s).runLogged();

    List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst()).contains("INFO     MainThread   warmed up in ")
        .contains(": rehearsed " + 2 * ChangeRehearsal.ROUND_TRIPS + " route changes in 1 rounds"
            + " on a private copy of foo.bar.com (a prefix file of its own, no BIRD, no command)");
  }

  @Test
  void run_withChecksThatBlock_asWithTheJdkSpawner_rehearsesTheSame() throws Exception {
    Function<ServiceConfig, CheckGroup> blocking = c ->
        CheckGroup.single("exec", new ExecCheck(c.checkCmd().orElseThrow(), RUNNER));
    ServiceConfig s = service("foo.bar.com", null, "10.52.12.1/32");
    ChangeRehearsal r =
        ChangeRehearsal.of(List.of(s), List.of(v4()), tmpRoot(), blocking, QUIET).orElseThrow();

    assertThat(r.run().changes()).isEqualTo(2 * ChangeRehearsal.ROUND_TRIPS);
  }

  @Test
  void run_whenThePassingCommandFails_countsOnlyTheChangesThatHappened() throws Exception {
    // A host without /bin/true: every run fails, so the copy goes DOWN once and stays there.
    Function<ServiceConfig, CheckGroup> neverPasses = c ->
        CheckGroup.single("exec", new ExecCheck(ChangeRehearsal.FAIL, RUNNER, reactors.of("x")));
    ServiceConfig s = service("foo.bar.com", null, "10.52.12.1/32");
    ChangeRehearsal r =
        ChangeRehearsal.of(List.of(s), List.of(v4()), tmpRoot(), neverPasses, QUIET).orElseThrow();

    ChangeRehearsal.Result result = r.run();

    assertThat(result.rounds()).isEqualTo(1);
    assertThat(result.changes()).isEqualTo(1); // UNKNOWN → DOWN
  }

  @Test
  void of_takesTheFirstServiceWithAPrefixOfAnEnabledFamily() throws Exception {
    ServiceConfig v6only = service("v6.only", null, "2001:db8::1/128");
    ServiceConfig both = service("both", null, "2001:db8::2/128", "10.52.12.2/32");

    Path tmp = tmpRoot();
    assertThat(ChangeRehearsal.of(List.of(v6only, both), List.of(v4()), tmp, checks, QUIET))
        .isPresent();
    assertThat(ChangeRehearsal.of(List.of(v6only), List.of(v4()), tmp, checks, QUIET)).isEmpty();
    assertThat(ChangeRehearsal.of(List.of(), List.of(v4()), tmp, checks, QUIET)).isEmpty();
    assertThat(ChangeRehearsal.of(List.of(v6only), List.of(), tmp, checks, QUIET)).isEmpty();
    // A service of both families rehearses in the first enabled one, with its prefixes only.
    ChangeRehearsal r = rehearsal(both);
    assertThat(r.run().changes()).isEqualTo(2 * ChangeRehearsal.ROUND_TRIPS);
  }

  @Test
  void privateCopy_runsTheGivenCommand_dropsCustomCommandIpCheckAndOtherFamilies_capsStreaks() {
    ServiceConfig s = service("foo.bar.com", "/usr/bin/touch /nonexistent", "10.52.12.1/32",
        "2001:db8::1/128");

    ServiceConfig copy = ChangeRehearsal.privateCopy(s, v4(), ChangeRehearsal.FAIL);

    assertThat(copy.customBirdReconfigureCmd()).isNull();
    assertThat(copy.customReconfigureCommand()).isEmpty();
    assertThat(copy.ipCheckDisabled()).isTrue();
    assertThat(copy.checkDisabled()).isFalse();
    assertThat(copy.prefixes()).containsExactly(IpPrefix.parse("10.52.12.1/32"));
    assertThat(copy.checkRise()).isEqualTo(ChangeRehearsal.MAX_STREAK);
    assertThat(copy.checkFail()).isEqualTo(ChangeRehearsal.MAX_STREAK);
    assertThat(copy.name()).isEqualTo(s.name());
    assertThat(copy.checkCmd()).contains(ChangeRehearsal.FAIL);
    assertThat(copy.checkTimeout()).isEqualTo(s.checkTimeout());
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
    ChangeRehearsal r =
        ChangeRehearsal.of(List.of(s), List.of(v4()), missing, checks, QUIET).orElseThrow();

    assertThatThrownBy(r::run).isInstanceOf(IOException.class);
    r.runLogged(); // logged at debug; never thrown at the daemon
    assertThat(missing).doesNotExist();
  }

  @Test
  void run_removesDirectoriesThatRehearsalsOfDeadDaemonsLeft_only() throws Exception {
    Path tmp = tmpRoot();
    String prefix = ChangeRehearsal.DIR_PREFIX;
    Path dead = Files.createDirectory(tmp.resolve(prefix + "999999999-123"));
    Files.writeString(dead.resolve(".prefixes.conf.tmp-999999999-ab"), "half");
    Path firstVersion = Files.createDirectory(tmp.resolve(prefix + "4292236788592050043"));
    Files.writeString(firstVersion.resolve("prefixes.conf"), "old");
    Path running = Files.createDirectory(
        tmp.resolve(prefix + ProcessHandle.current().pid() + "-456")); // another rehearsal's
    Path unrelated = Files.createDirectory(tmp.resolve("anycast-healthchecker-other"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path precious = Files.writeString(outside.resolve("precious"), "keep");
    Path link = Files.createSymbolicLink(tmp.resolve(prefix + "999999998-789"), outside);

    rehearsal(service("foo.bar.com", null, "10.52.12.1/32")).run();

    assertThat(dead).doesNotExist();
    assertThat(firstVersion).doesNotExist();
    assertThat(link).doesNotExist();
    assertThat(precious).hasContent("keep"); // the link was unlinked, never followed
    assertThat(running).isDirectory();
    assertThat(unrelated).isDirectory();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).containsExactlyInAnyOrder(running, unrelated); // its own one is gone too
    }
  }

  @Test
  void runLogged_saysOnceHowManyStaleDirectoriesItRemoved() throws Exception {
    logToConsole("info");
    for (int pid = 999999990; pid < 999999993; pid++) {
      Files.createDirectory(tmpRoot().resolve(ChangeRehearsal.DIR_PREFIX + pid + "-1"));
    }

    rehearsal(service("foo.bar.com", null, "10.52.12.1/32")).runLogged();

    List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.getFirst()).contains("removed 3 directories left in " + tmpRoot()
        + " by change rehearsals that did not finish (the first: "
        + ChangeRehearsal.DIR_PREFIX + "999999990-1)");
    assertThat(lines.getLast()).contains("warmed up in ");
  }
}
