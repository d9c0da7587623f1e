package net.anycast.healthchecker.override;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The watcher on a real directory, with inotify, the system clock and a real timer thread. */
@Timeout(30)
class SpoolWatcherComponentTest {
  /** "Within 1 s", plus room for a loaded test machine. */
  private static final Duration NOTICE = Duration.ofMillis(2500);

  @TempDir Path tmp;
  private SpoolDirectory spool;
  private ScheduledExecutorService executor;
  private final List<Drains> published = new CopyOnWriteArrayList<>();
  private SpoolWatcher watcher;

  @BeforeEach
  void setUp() {
    spool = new SpoolDirectory(tmp.resolve("spool"));
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spool-timer-test");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (watcher != null) {
      watcher.close();
    }
    executor.shutdownNow();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  private Drains start() {
    watcher = new SpoolWatcher(spool, published::add, InstantSource.system(), executor);
    return watcher.start();
  }

  private Drains latest() {
    return published.getLast();
  }

  @Test
  void start_returnsCurrentState_thenCreateAndDeleteArePublished() throws IOException {
    Drain first = spool.write(Drain.of("all", "host maintenance"));
    assertThat(start()).isEqualTo(Drains.of(List.of(first)));
    assertThat(Thread.getAllStackTraces().keySet())
        .anyMatch(t -> t.getName().equals("spool-watcher") && t.isDaemon());

    Files.writeString(spool.fileFor("svc"), "maintenance\n"); // as an operator's echo would
    await().atMost(NOTICE).until(() -> latest().byName("svc").isPresent());
    assertThat(latest().byName("svc")).contains(Drain.of("svc", "maintenance"));

    spool.remove("all");
    await().atMost(NOTICE).until(() -> latest().byName("all").isEmpty());
    assertThat(latest().forService("svc")).contains(Drain.of("svc", "maintenance"));
  }

  @Test
  void expiration_endsTheDrainOnItsOwn_andDeletesTheFile() throws IOException {
    Instant until = Instant.now().plusMillis(1500);
    spool.write(Drain.of("svc", "short").withExpiration(until));
    assertThat(start().forService("svc")).isPresent();

    await().atMost(Duration.ofSeconds(5)).until(() -> latest().isEmpty());
    assertThat(Instant.now()).isAfterOrEqualTo(until);
    assertThat(Files.exists(spool.fileFor("svc"))).isFalse();
    assertThat(published).hasSize(2);
  }

  @Test
  void directoryRemovedAndCreatedAgain_isWatchedAgain() throws IOException {
    spool.write(Drain.of("svc", "one"));
    start();
    spool.remove("svc");
    Files.delete(spool.path());
    await().atMost(NOTICE).until(() -> latest().isEmpty());

    spool.write(Drain.of("svc", "two")); // creates the directory again: a new inode
    await().atMost(NOTICE).until(() -> latest().byName("svc").isPresent());
    spool.write(Drain.of("svc2", "three"));
    await().atMost(NOTICE).until(() -> latest().byName("svc2").isPresent());
  }

  @Test
  void directoryCreatedAfterStart_isPickedUp() throws IOException {
    assertThat(start()).isEqualTo(Drains.none());
    spool.write(Drain.of("svc", "late"));
    await().atMost(NOTICE).until(() -> latest().byName("svc").isPresent());
  }

  @Test
  void halfWrittenFiles_neverStopTheWatcher() throws IOException {
    Drain kept = spool.write(Drain.of("svc", "deploy"));
    start();
    Files.writeString(spool.fileFor("svc"), "{\"reason\": \"fo"); // hacheck caught mid-write
    Files.write(spool.fileFor("bad"), new byte[] {'{', (byte) 0xff, 0, '"'});
    await().atMost(NOTICE).until(() -> latest().byName("bad").isPresent());
    assertThat(latest().byName("svc")).contains(kept);

    Files.writeString(spool.fileFor("svc"), "{\"reason\": \"found\"}");
    await().atMost(NOTICE).until(() -> latest().byName("svc").map(Drain::reason)
        .filter("found"::equals).isPresent());
  }
}
