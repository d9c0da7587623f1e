package net.anycast.healthchecker.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.anycast.healthchecker.bird.PrefixFile;
import net.anycast.healthchecker.bird.PrefixFileStore;
import net.anycast.healthchecker.config.ConfigLoader;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.process.ProcessResult;
import net.anycast.healthchecker.process.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the fault-injection suite that need neither root nor BIRD (docs/reliability.md has
 * the whole table): what is done to the prefix file, and checks that misbehave.
 */
@Timeout(180)
class FaultInjectionTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
  private static final Duration LONG = Duration.ofSeconds(60);
  @TempDir Path dir;

  private static PrefixFile file(String... prefixes) {
    return PrefixFile.of("ACAST_PS_ADVERTISE", IpPrefix.parse("10.189.200.255/32"),
        List.of(prefixes).stream().map(IpPrefix::parse).toList());
  }

  @Test
  void prefixFileReplacedByGarbage_isRewrittenWhole() throws IOException {
    Path conf = dir.resolve("a.conf");
    PrefixFileStore store = new PrefixFileStore(conf, false, 128, CLOCK);
    store.write(file("10.0.0.1/32"));
    byte[] garbage = new byte[4096];
    new java.util.Random(15).nextBytes(garbage);
    Files.write(conf, garbage);
    assertThat(store.write(file("10.0.0.1/32"))).isTrue();
    assertThat(PrefixFile.parse(Files.readString(conf)).prefixes())
        .containsExactly(IpPrefix.parse("10.189.200.255/32"), IpPrefix.parse("10.0.0.1/32"));
  }

  @Test
  void prefixFileReplacedByADirectory_writeFails_nothingElseIsTouched() throws IOException {
    Path conf = dir.resolve("a.conf");
    PrefixFileStore store = new PrefixFileStore(conf, false, 128, CLOCK);
    store.write(file("10.0.0.1/32"));
    Files.delete(conf);
    Files.writeString(Files.createDirectories(conf).resolve("operator's"), "x");
    assertThatThrownBy(() -> store.write(file("10.0.0.2/32"))).isInstanceOf(IOException.class);
    assertThat(conf.resolve("operator's")).hasContent("x");
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("a.conf");
    }
    Files.delete(conf.resolve("operator's"));
    Files.delete(conf); // the operator repairs it: the next pass converges
    assertThat(store.write(file("10.0.0.2/32"))).isTrue();
  }

  @Test
  void prefixFileReplacedByASymlink_afterStart_isReplacedByTheFile_neverWrittenThrough()
      throws IOException {
    Path conf = dir.resolve("a.conf");
    PrefixFileStore store = new PrefixFileStore(conf, false, 128, CLOCK);
    store.write(file("10.0.0.1/32"));
    Path victim = Files.writeString(dir.resolve("victim"), "precious");
    Files.delete(conf);
    Files.createSymbolicLink(conf, victim);
    assertThat(store.write(file("10.0.0.2/32"))).isTrue();
    assertThat(victim).hasContent("precious");
    assertThat(Files.isSymbolicLink(conf)).isFalse();
    assertThat(Files.readString(conf)).contains("10.0.0.2/32");
  }

  @Test
  void checkPrintingOneGigabyte_endsNormally_keepingOnlyTheBoundedOutput() throws Exception {
    ProcessResult r = new ProcessRunner().run(
        List.of("sh", "-c", "head -c 1000000000 /dev/zero; exit 3"), LONG);
    assertThat(r).isInstanceOfSatisfying(ProcessResult.Exited.class, e -> {
      assertThat(e.exitCode()).isEqualTo(3);
      assertThat(e.stdout().text()).hasSizeLessThanOrEqualTo(4096);
      assertThat(e.stdout().droppedBytes()).isEqualTo(1_000_000_000L - 4096);
    });
  }

  @Test
  void checkThatForksADaemonAndExits_passesWhenItExits_withoutWaitingForTheDaemon()
      throws Exception {
    Path pid = dir.resolve("daemon.pid");
    long t0 = System.nanoTime();
    ProcessResult r = new ProcessRunner().run(List.of("sh", "-c",
        "sleep 300 </dev/null >/dev/null 2>&1 & echo $! > " + pid + "; exit 0"), LONG);
    try {
      assertThat(r).isInstanceOfSatisfying(ProcessResult.Exited.class,
          e -> assertThat(e.exitCode()).isZero());
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    } finally {
      long daemon = Long.parseLong(Files.readString(pid).strip());
      ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly); // ours: we started it
    }
  }

  @Test
  void tenThousandServiceFiles_loadInOneGo() throws Exception {
    Path d = Files.createDirectories(dir.resolve("checks"));
    Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("lib/6"));
    Path daemon = Files.writeString(dir.resolve("daemon.conf"), """
        [daemon]
        pidfile = %s/run/ahc.pid
        bird_conf = %s/lib/anycast-prefixes.conf
        bird6_conf = %s/lib/6/anycast-prefixes.conf
        """.formatted(dir, dir, dir));
    for (int i = 0; i < 10_000; i++) {
      Files.writeString(d.resolve(String.format("s%05d.conf", i)), """
          [svc%05d]
          check_cmd = /bin/true
          ip_prefix = 10.%d.%d.1/32
          """.formatted(i, 100 + i / 250, i % 250));
    }
    long t0 = System.nanoTime();
    LoadedConfig c = new ConfigLoader("/usr/bin:/bin").load(daemon, d, null);
    assertThat(c.configuration().services()).hasSize(10_000);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
  }
}
