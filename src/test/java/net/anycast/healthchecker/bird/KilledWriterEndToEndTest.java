package net.anycast.healthchecker.bird;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer SIGKILLed at random moments of a burst never leaves a prefix file BIRD rejects, and a
 * restarted reconciler converges the peer. The writer is a child JVM ({@link WriterMain}) running
 * the real store and reconciler, so the kill lands wherever it lands: mid-write, mid-rename,
 * between the rename and the reconfigure.
 */
@Tag("e2e")
@Timeout(240)
class KilledWriterEndToEndTest {
  private static final int KILLS = 8;
  @TempDir Path dir;

  @Test
  void sigkillDuringBurst_fileAlwaysAccepted_andRestartConverges() throws Exception {
    List<ServiceConfig> services = WriterMain.services();
    List<IpPrefix> routes = services.stream().flatMap(s -> s.prefixes().stream()).toList();
    Random random = new Random(20261122);
    try (BgpTestbed t = BgpTestbed.start(BgpTestbed.Node.BIRD2, dir, routes)) {
      Path file = t.prefixFile(IpFamily.IPV4);
      Set<String> versions = new HashSet<>();
      for (int i = 0; i < KILLS; i++) {
        Process child = startWriter(file, t.nodeSocket(IpFamily.IPV4), random.nextLong());
        try {
          awaitReady(child);
          Thread.sleep(300 + random.nextInt(1200));
        } finally {
          child.destroyForcibly(); // SIGKILL
          assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        ReconfigureResult check = t.configureCheck(IpFamily.IPV4);
        assertThat(check.confirmed()).as("configure check after kill %d: %s", i, check).isTrue();
        PrefixFile.Parsed parsed = PrefixFile.parse(Files.readString(file));
        assertThat(parsed.variable()).contains(BgpTestbed.VAR4);
        assertThat(parsed.prefixes()).first().isEqualTo(BgpTestbed.DUMMY4);
        versions.add(Files.readString(file));
      }
      assertThat(versions).as("the writer really wrote between kills").hasSizeGreaterThan(KILLS / 2);

      InputsRef board = new InputsRef(Inputs.of(services));
      Set<IpPrefix> expected = new TreeSet<>();
      for (int i = 0; i < services.size(); i++) {
        boolean up = i % 3 == 0;
        board.publish(services.get(i).name(), up ? Health.UP : Health.DOWN);
        if (up) {
          expected.addAll(services.get(i).prefixes());
        }
      }
      try (Reconciler r = Reconciler.create(t.familyConfig(IpFamily.IPV4, true), false, board, by -> 0)) {
        r.start();
        Duration took = t.awaitPeerRoutes(IpFamily.IPV4, expected, Duration.ofSeconds(20));
        System.out.printf("e2e after %d SIGKILLs: restarted reconciler converged the peer in %d ms%n",
            KILLS, took.toMillis());
      }
      try (var s = Files.list(file.getParent())) {
        assertThat(s.map(p -> p.getFileName().toString()))
            .as("stale temp files are removed at start-up").containsExactlyInAnyOrder("6", "anycast-prefixes.conf");
      }
    }
  }

  private static Process startWriter(Path file, Path socket, long seed) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), WriterMain.class.getName(),
        file.toString(), socket.toString(), Long.toString(seed))
        .redirectErrorStream(true).start();
  }

  /** Waits for the child's READY line, then keeps draining its output so it never blocks. */
  private static void awaitReady(Process child) throws Exception {
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
    StringBuilder seen = new StringBuilder();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.equals("READY")) {
            ready.countDown();
          } else if (ready.getCount() > 0 && seen.length() < 4000) {
            seen.append(line).append('\n');
          }
        }
      } catch (java.io.IOException e) {
        // the child was killed
      }
    });
    // READY comes after start(): the JVM is up and the first pass is under way.
    assertThat(ready.await(30, TimeUnit.SECONDS)).as("writer READY; output: %s", seen).isTrue();
  }
}
