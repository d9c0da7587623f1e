package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real child JVMs: the lock, the pidfile and the signal handlers as the daemon uses them. */
class SignalsTest {
  @TempDir Path dir;

  private static Process start(Path pidfile, String lock) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
            SignalFixture.class.getName(), pidfile.toString(), lock)
        .redirectErrorStream(true)
        .start();
  }

  private static void kill(String signal, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).start().waitFor())
        .isZero();
  }

  /**
   * Returns the fixture's next line of its own, past log lines: the daemon logs one when it was
   * started with SIGHUP ignored (a suite run under nohup), which the fixture's protocol is not.
   */
  private static String line(BufferedReader out) throws IOException {
    String line;
    do {
      line = out.readLine();
    } while (line != null && LOG_LINE.matcher(line).lookingAt());
    return line;
  }

  private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[");

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "INT", "ABRT"})
  void shutdownSignal_removesPidfile_exitsZero_sigurgRunsChecks_sighupReloads(String signal)
      throws Exception {
    Path pidfile = dir.resolve("ahc.pid");
    String lock = "ahc-test-" + ProcessHandle.current().pid() + "-" + signal;
    Process child = start(pidfile, lock);
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(line(out)).isEqualTo("creating pidfile " + pidfile);
      assertThat(line(out)).isEqualTo("writing processID " + child.pid() + " to pidfile");
      assertThat(line(out)).isEqualTo("ready");
      assertThat(Files.readString(pidfile)).isEqualTo(Long.toString(child.pid()));

      // A second instance: the lock says no, and so does the pidfile on its own.
      assertThatThrownBy(() -> InstanceLock.acquire(lock))
          .isInstanceOf(InstanceLock.LockFailedException.class);
      assertThatThrownBy(() -> Pidfile.acquire(pidfile, s -> {}))
          .isInstanceOf(Pidfile.AlreadyRunningException.class)
          .hasMessage("process " + child.pid() + " is already running");

      kill("URG", child.pid());
      assertThat(line(out)).isEqualTo("run all checks now");
      kill("HUP", child.pid());
      assertThat(line(out)).isEqualTo("reload");
      assertThat(child.isAlive()).isTrue();

      kill(signal, child.pid());
      assertThat(line(out)).isEqualTo("received SIG" + signal);
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
      assertThat(pidfile).doesNotExist();
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void secondChild_refusesWithClearMessage() throws Exception {
    Path pidfile = dir.resolve("ahc.pid");
    String lock = "ahc-test-" + ProcessHandle.current().pid() + "-second";
    Process first = start(pidfile, lock);
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
      while (!"ready".equals(out.readLine())) {
        // skip the pidfile notes
      }
      Process second = start(dir.resolve("other.pid"), lock);
      assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(1);
      List<String> lines = second.inputReader().readAllLines();
      assertThat(lines).containsExactly("failed to acquire a lock by creating an abstract namespace"
          + " socket: bind(@" + lock + ") failed: Address already in use (errno 98)");
    } finally {
      first.destroyForcibly();
    }
  }
}
