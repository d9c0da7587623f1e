package net.anycast.healthchecker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.anycast.healthchecker.check.ProcessTableAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Real processes: a runner made by terminatingFirst sends SIGTERM, then SIGKILL after a grace. */
@Timeout(60)
@ParameterizedClass
@EnumSource(SpawnMethod.class)
class ProcessRunnerGraceTest {
  private static final Duration TIMEOUT = Duration.ofMillis(200);
  private static final Duration GRACE = Duration.ofMillis(500);

  private final Set<Long> started = ConcurrentHashMap.newKeySet();
  private final SpawnMethod method;
  private final ProcessRunner runner;

  ProcessRunnerGraceTest(SpawnMethod method) {
    this.method = method;
    this.runner = new ProcessRunner(method, started::add).terminatingFirst(GRACE);
  }

  @TempDir Path dir;

  @Test
  void timeout_commandTrapsTerm_getsToCleanUp() throws Exception {
    Path cleaned = dir.resolve("cleaned");
    String script = "trap 'echo bye > " + cleaned + "; exit 0' TERM; sleep 100 & wait";
    ProcessResult r = runner.run(List.of("sh", "-c", script), TIMEOUT);
    assertThat(r).isInstanceOf(ProcessResult.TimedOut.class);
    assertThat(Files.readString(cleaned)).isEqualTo("bye\n");
    assertGroupsGone();
  }

  @Test
  void timeout_commandIgnoresTerm_isKilledAfterTheGrace() throws Exception {
    ProcessResult r =
        runner.run(List.of("sh", "-c", "trap '' TERM; sleep 100 & sleep 100"), TIMEOUT);
    assertThat(r).isInstanceOf(ProcessResult.TimedOut.class);
    assertThat(r.took()).isGreaterThanOrEqualTo(TIMEOUT).isLessThan(Duration.ofSeconds(5));
    assertGroupsGone();
  }

  @Test
  void timeout_withoutGrace_killsAtOnce_noCleanUp() throws Exception {
    Path cleaned = dir.resolve("cleaned");
    String script = "trap 'echo bye > " + cleaned + "; exit 0' TERM; sleep 100 & wait";
    ProcessResult r = new ProcessRunner(method, started::add).run(List.of("sh", "-c", script), TIMEOUT);
    assertThat(r).isInstanceOf(ProcessResult.TimedOut.class);
    assertThat(cleaned).doesNotExist();
    assertGroupsGone();
  }

  @Test
  void terminatingFirst_zeroGrace_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ProcessRunner().terminatingFirst(Duration.ZERO));
  }

  /**
   * The group was sent SIGKILL and the direct child reaped before run() returned; a grandchild
   * (reparented to init) leaves the process table when the kernel next runs it, which on a
   * loaded machine can take a moment.
   */
  private void assertGroupsGone() {
    await("every process of the check's group gone").atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(10))
        .untilAsserted(() -> assertThat(ProcessTableAccess.liveInGroups(started)).isEmpty());
  }
}
