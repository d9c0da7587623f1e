package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.anycast.healthchecker.check.CheckGroup;
import net.anycast.healthchecker.check.ExecCheck;
import net.anycast.healthchecker.check.IpAssignment;
import net.anycast.healthchecker.config.ConfigException;
import net.anycast.healthchecker.config.ConfigLoader;
import net.anycast.healthchecker.config.Configuration;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.config.OnShutdown;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.process.ProcessRunner;
import net.anycast.healthchecker.schedule.LoopContext;
import net.anycast.healthchecker.schedule.DueChecks;
import net.anycast.healthchecker.schedule.ServiceLoops;
import net.anycast.healthchecker.schedule.ReactorScheduler;
import net.anycast.healthchecker.reactor.Reactors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reload entry point with real parts: configuration files on disk, the real loader, service
 * loops running {@code /bin/true}, and systemd's notify socket. What is asserted is the contract
 * the signal, the command line and the API rely on.
 */
@Timeout(60)
class ReloaderTest {
  private static final String DAEMON = """
      [daemon]
      pidfile = {tmp}/ahc.pid
      bird_conf = {tmp}/anycast-prefixes.conf
      loglevel = info
      [DEFAULT]
      check_interval = 0.2
      check_rise = 1
      check_fail = 1
      check_disabled = false
      ip_check_disabled = true
      """;
  private static final String A = "[a]\ncheck_cmd = /bin/true\nip_prefix = 10.0.0.1/32\n";
  private static final String B = "[b]\ncheck_cmd = /bin/true\nip_prefix = 10.0.0.2/32\n";

  @TempDir Path tmp;
  private final String notifyAddress = "@ahc-test-" + UUID.randomUUID();
  private UnixDatagramSocket systemdSocket;
  private SystemdNotifier systemd;
  private InputsRef inputs;
  private ServiceLoops loops;
  private final List<ReloadOutcome> outcomes = new CopyOnWriteArrayList<>();
  private final List<Configuration> applied = new CopyOnWriteArrayList<>();

  @BeforeEach
  void systemd() throws IOException {
    systemdSocket = UnixDatagramSocket.open();
    systemdSocket.bind(notifyAddress);
    systemd = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", notifyAddress), 1);
  }

  @AfterEach
  void close() {
    if (loops != null) {
      loops.close();
    }
    systemd.close();
    systemdSocket.close();
  }

  private void write(String daemon, String services) throws IOException {
    Files.writeString(tmp.resolve("daemon.conf"), daemon.replace("{tmp}", tmp.toString()));
    Files.createDirectories(tmp.resolve("checks"));
    Files.writeString(tmp.resolve("checks/svc.conf"), services);
  }

  private LoadedConfig load() throws ConfigException {
    return new ConfigLoader("/usr/bin:/bin").load(tmp.resolve("daemon.conf"),
        tmp.resolve("checks"), null);
  }

  /** Returns a reloader of a daemon started on the files as they are now. */
  private Reloader started(Reloader.ConfigSource source) throws ConfigException {
    Configuration config = load().configuration();
    inputs = new InputsRef(Inputs.of(config.services()));
    ProcessRunner runner = new ProcessRunner(pid -> {});
    LoopContext context = new LoopContext(new ReactorScheduler(Reactors.start(2, System::nanoTime)),
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()), new Random(1),
        InstantSource.system(), IpAssignment.system(),
        s -> CheckGroup.single("exec", new ExecCheck(s.checkCmd().orElseThrow(), runner)));
    loops = new ServiceLoops(config.services(), Duration.ZERO, inputs, new DueChecks(),
        context);
    loops.start();
    return new Reloader(source, config, java.time.Instant.now(), loops, inputs, applied::add,
        outcomes::add, systemd, InstantSource.system(), () -> 42);
  }

  private String notified() throws IOException {
    return new String(systemdSocket.receive(), StandardCharsets.UTF_8);
  }

  @Test
  void validEdit_applied_unchangedServiceKeepsItsHealth_systemdToldAroundIt() throws Exception {
    write(DAEMON, A);
    Reloader reloader = started(this::load);
    await().atMost(Duration.ofSeconds(20)).until(() -> inputs.current().health("a") == Health.UP);

    write(DAEMON.replace("loglevel = info", "loglevel = debug"), A + B);
    ReloadOutcome outcome = reloader.reload("test");

    assertThat(outcome.success()).isTrue();
    assertThat(outcome.trigger()).isEqualTo("test");
    assertThat(outcome.changes()).containsExactly("added b",
        "changed [daemon] loglevel from 'info' to 'debug'");
    assertThat(outcome.summary())
        .isEqualTo("services: 1 added, 1 unchanged; 1 daemon setting changed");
    assertThat(outcome.errors()).isEmpty();
    assertThat(inputs.current().healthByService()).containsEntry("a", Health.UP)
        .containsKey("b");
    assertThat(applied).singleElement()
        .satisfies(c -> assertThat(c.daemon().log().level()).isEqualTo("debug"));
    assertThat(outcomes).containsExactly(outcome);
    assertThat(reloader.lastOutcome()).contains(outcome);
    assertThat(reloader.status().success()).isTrue();
    assertThat(reloader.status().at()).isEqualTo(outcome.finished());
    assertThat(notified()).isEqualTo("RELOADING=1\nMONOTONIC_USEC=42");
    assertThat(notified()).isEqualTo("READY=1");
  }

  @Test
  void brokenFiles_changeNothing_errorsExactlyAsCheckPrintsThem() throws Exception {
    write(DAEMON, A + B);
    Reloader reloader = started(this::load);
    assertThat(reloader.lastOutcome()).isEmpty();
    Inputs before = inputs.current();

    write(DAEMON, A.replace("/bin/true", "/nonexistent/check") + B + "check_rise = two\n");
    ReloadOutcome outcome = reloader.reload("SIGHUP");

    String check;
    try {
      load();
      throw new AssertionError("the broken files loaded");
    } catch (ConfigException e) {
      check = "Invalid configuration: " + e.getMessage(); // what -c prints
    }
    assertThat(outcome.result()).isEqualTo(ReloadOutcome.Result.INVALID);
    assertThat(outcome.errors()).hasSize(2);
    assertThat(outcome.report()).isEqualTo(
        "reload failed; the daemon keeps running its previous configuration\n" + check);
    assertThat(outcome.summary()).isEqualTo("Invalid configuration: 2 errors; nothing changed");
    assertThat(inputs.current().services()).isSameAs(before.services());
    assertThat(applied).isEmpty();
    assertThat(reloader.status().success()).isFalse();
    assertThat(notified()).startsWith("RELOADING=1");
    assertThat(notified()).isEqualTo("READY=1");

    write(DAEMON, A); // fixed: the next reload applies, from the configuration still running
    assertThat(reloader.reload("SIGHUP").changes()).containsExactly("removed b");
    assertThat(reloader.status().success()).isTrue();
  }

  @Test
  void whileStopping_refused() throws Exception {
    write(DAEMON, A);
    Reloader reloader = started(this::load);
    inputs.update(i -> i.stopping(OnShutdown.KEEP));
    write(DAEMON, A + B);
    ReloadOutcome outcome = reloader.reload("SIGHUP");
    assertThat(outcome.result()).isEqualTo(ReloadOutcome.Result.REFUSED);
    assertThat(outcome.errors()).containsExactly("the daemon is stopping");
    assertThat(inputs.current().services()).hasSize(1);
  }

  @Test
  void requests_whileOneRuns_foldIntoOneMore() throws Exception {
    write(DAEMON, A);
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch inFirst = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Reloader reloader = started(() -> {
      if (loads.incrementAndGet() == 1) {
        inFirst.countDown();
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return load();
    });
    reloader.request("SIGHUP");
    assertThat(inFirst.await(20, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 5; i++) {
      reloader.request("SIGHUP");
    }
    release.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.size() == 2);
    reloader.close(); // waits for the reload thread
    assertThat(loads).hasValue(2);
    assertThat(outcomes).allSatisfy(o -> assertThat(o.success()).isTrue());
  }
}
