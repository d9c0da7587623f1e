package net.anycast.healthchecker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK fallback's gate shell must be invisible to the command: the environment it was given
 * and nothing more (the shell would add its own {@code PWD}), stdin from {@code /dev/null}, and
 * its exit status.
 */
@Timeout(30)
class JdkSpawnerTest {
  private final JdkSpawner spawner = new JdkSpawner();

  private ProcessResult.Exited run(Map<String, String> environment, String... argv)
      throws Exception {
    Child child = spawner.start(List.of(argv), environment);
    assertThat(child.awaitEnd(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
    return (ProcessResult.Exited) child.result(Duration.ZERO);
  }

  @Test
  void environment_withoutPwd_isExactlyWhatWasGiven() throws Exception {
    ProcessResult.Exited r = run(Map.of("CHECK_A", "1", "PATH", "/usr/bin:/bin"), "env");

    assertThat(r.stdout().text().lines())
        .containsExactlyInAnyOrder("CHECK_A=1", "PATH=/usr/bin:/bin");
  }

  @Test
  void environment_withPwd_keepsTheGivenValue() throws Exception {
    ProcessResult.Exited r = run(Map.of("PWD", "/given by the daemon", "PATH", "/usr/bin:/bin"),
        "env");

    assertThat(r.stdout().text().lines())
        .containsExactlyInAnyOrder("PWD=/given by the daemon", "PATH=/usr/bin:/bin");
  }

  @Test
  void stdin_isDevNull_notTheGate() throws Exception {
    ProcessResult.Exited r = run(Map.of("PATH", "/usr/bin:/bin"), "sh", "-c",
        "readlink /proc/self/fd/0; wc -c");

    assertThat(r.stdout().text().lines()).containsExactly("/dev/null", "0");
  }

  @Test
  void argumentsAndExitStatus_passThroughTheGateUntouched() throws Exception {
    ProcessResult.Exited r = run(Map.of("PATH", "/usr/bin:/bin"), "sh", "-c",
        "printf '%s|' \"$@\"; exit 7", "zero", "a b", "$HOME", "");

    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(r.stdout().text()).isEqualTo("a b|$HOME||");
  }
}
