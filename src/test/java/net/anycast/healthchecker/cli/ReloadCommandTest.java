package net.anycast.healthchecker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.anycast.healthchecker.config.ExampleConfigs;
import net.anycast.healthchecker.daemon.ReloadFile;
import net.anycast.healthchecker.daemon.ReloadOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code reload} command's paths that need no daemon; the answers of a real one are in
 * {@code DaemonReloadEndToEndTest}.
 */
@Timeout(60)
class ReloadCommandTest {
  private static final Instant SENT = Instant.parse("2026-11-22T10:00:00.500Z");

  @TempDir Path root;
  private Path daemonFile;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void examples() throws Exception {
    daemonFile = ExampleConfigs.copyTo(root);
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private Path pidfile() {
    return root.resolve("var/run/anycast-healthchecker/anycast-healthchecker.pid");
  }

  @ParameterizedTest(name = "written by pid {0}, started {1} -> answers: {2}")
  @CsvSource(textBlock = """
      42, 2026-11-22T10:00:00.500001Z, true
      42, 2026-11-22T10:00:00.500Z,    true
      42, 2026-11-22T10:00:00.499999Z, false
      43, 2026-11-22T10:00:01Z,        false
      """)
  void answers_onlyTheDaemonsReloadBegunAfterTheSignal(long pid, Instant started,
      boolean answers) {
    ReloadOutcome o = new ReloadOutcome("SIGHUP", started, started.plusMillis(5),
        ReloadOutcome.Result.APPLIED, "services: 1 unchanged", List.of(), List.of(), List.of());
    assertThat(ReloadCommand.answers(new ReloadFile.Entry(pid, o), 42, SENT)).isEqualTo(answers);
  }

  @Test
  void noDaemonRunning_exitsTwo_namingThePidfile() {
    assertThat(run("-f", daemonFile.toString(), "reload")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("reload: no daemon is running (pidfile " + pidfile() + ")\n");
  }

  @Test
  void daemonFileUnreadable_exitsTwo_withTheErrorAsCheckPrintsIt() {
    assertThat(run("-f", root.resolve("nope.conf").toString(), "reload")).isEqualTo(2);
    assertThat(err.toString()).startsWith("Invalid configuration: " + root
        + "/nope.conf: configuration file either isn't readable or doesn't exist\n")
        .endsWith("reload: cannot find the daemon's pidfile; no daemon was asked\n");
  }

  @Test
  void processThatNeverAnswers_exitsTwoAfterTheTimeout() throws Exception {
    // A process that ignores SIGHUP and writes no outcome: the command must give up by itself.
    Process silent = new ProcessBuilder("/bin/sh", "-c", "trap '' HUP; sleep 30").start();
    try {
      Files.writeString(pidfile(), Long.toString(silent.pid()));
      long t0 = System.nanoTime();
      assertThat(run("-f", daemonFile.toString(), "reload", "--timeout", "1")).isEqualTo(2);
      assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(20));
      assertThat(err.toString()).isEqualTo("reload: sent SIGHUP to pid " + silent.pid()
          + ", but no outcome appeared in " + pidfile().resolveSibling(
              "anycast-healthchecker.reload") + " within 1 s; see the daemon's log\n");
      assertThat(silent.isAlive()).as("SIGHUP was trapped").isTrue();
    } finally {
      silent.destroyForcibly();
      silent.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
