package net.anycast.healthchecker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thread that watches check processes dies of an {@code Error} or a failed
 * {@code epoll_wait}: it is restarted, and when it keeps dying the checks go on through the JDK
 * and its progress stops, so the systemd watchdog restarts the daemon.
 */
@Timeout(120)
class ChildReactorSupervisionTest {
  private static final long LONG = Duration.ofSeconds(30).toNanos();

  private static PosixSpawner ownSpawner() throws Exception {
    // A spawner with a reactor of its own: the faults must not reach the other tests' reactor.
    return new PosixSpawner(LinuxCalls.link().orElseThrow());
  }

  private static String run(PosixSpawner spawner, String script) throws Exception {
    Child child = spawner.start(List.of("sh", "-c", script), System.getenv());
    assertThat(child.awaitEnd(System.nanoTime() + LONG)).as("the check ended").isTrue();
    return ((ProcessResult.Exited) child.result(Duration.ZERO)).stdout().text();
  }

  @Test
  void watchThreadDiesOfAnError_isRestarted_andChecksStillEnd() throws Exception {
    PosixSpawner spawner = ownSpawner();
    spawner.reactor().injectFault(new OutOfMemoryError("injected"));
    await().atMost(Duration.ofSeconds(30)).until(() -> spawner.reactor().restarts() == 1);
    assertThat(run(spawner, "echo alive")).isEqualTo("alive\n");
    assertThat(spawner.reactor().gaveUp()).isFalse();
  }

  @Test
  void watchThreadKeepsDying_givesUp_checksRunThroughTheJdk_andProgressStops() throws Exception {
    PosixSpawner spawner = ownSpawner();
    for (int i = 0; i <= ChildReactor.MAX_RESTARTS; i++) {
      int n = i;
      await().atMost(Duration.ofSeconds(30))
          .until(() -> spawner.reactor().restarts() == n || spawner.reactor().gaveUp());
      spawner.reactor().injectFault(new IllegalStateException("epoll_wait: injected"));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> spawner.reactor().gaveUp());
    long frozen = spawner.reactor().lastTurnNanos();
    assertThat(run(spawner, "echo through the jdk")).isEqualTo("through the jdk\n");
    assertThat(spawner.reactor().lastTurnNanos()).as("no progress once given up").isEqualTo(frozen);
  }
}
