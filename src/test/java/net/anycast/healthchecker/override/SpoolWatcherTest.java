package net.anycast.healthchecker.override;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's logic on a manual clock and timer; file events are fired by hand. */
@Timeout(10)
class SpoolWatcherTest {
  private static final Instant T0 = Instant.parse("2025-12-02T04:33:20Z");

  /** Events the test fires by hand. */
  private static final class FiredEvents implements DirectoryEvents {
    Runnable onChange;
    boolean closed;

    @Override
    public void start(Runnable onChange) {
      this.onChange = onChange;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @TempDir Path tmp;
  private SpoolDirectory spool;
  private final ManualTimer timer = new ManualTimer(T0);
  private final FiredEvents events = new FiredEvents();
  private final List<Drains> published = new ArrayList<>();
  private LogLines log;
  private SpoolWatcher watcher;

  @BeforeEach
  void setUp() {
    spool = new SpoolDirectory(tmp.resolve("spool"));
    log = new LogLines(SpoolWatcher.class);
  }

  @AfterEach
  void tearDown() {
    if (watcher != null) {
      watcher.close();
    }
    log.close();
  }

  private Drains start() {
    return start(published::add);
  }

  private Drains start(Consumer<Drains> publish) {
    watcher = new SpoolWatcher(spool, publish, timer, timer, events);
    return watcher.start();
  }

  private Drain write(Drain d) throws IOException {
    return spool.write(d);
  }

  private static Map<String, String> mdc(ILoggingEvent e) {
    return e.getMDCPropertyMap();
  }

  @Test
  void start_publishesCurrentStateOnce_andReturnsIt() throws IOException {
    Drain d = write(Drain.of("svc", "deploy"));
    Drains first = start();
    assertThat(first).isEqualTo(Drains.of(List.of(d)));
    assertThat(published).containsExactly(first);
    ILoggingEvent line = log.at(Level.INFO).getFirst();
    assertThat(line.getFormattedMessage()).isEqualTo("drain of svc started: deploy (spool file "
        + spool.fileFor("svc") + ", no expiry)");
    assertThat(mdc(line)).containsEntry("drain_event", "started").containsEntry("drain_name", "svc")
        .containsEntry("drain_reason", "deploy").doesNotContainKey("drain_expiration");
  }

  @Test
  void start_withoutDirectory_publishesNone_thenSeesItOnTheNextRescan() throws IOException {
    assertThat(start()).isEqualTo(Drains.none());
    assertThat(published).containsExactly(Drains.none());
    assertThat(log.messages(Level.INFO)).containsExactly(
        "spool directory " + spool.path() + " does not exist; no drains while it does not");

    Drain d = write(Drain.of("all", "host maintenance"));
    timer.advance(SpoolWatcher.RESCAN_EVERY);
    assertThat(published).containsExactly(Drains.none(), Drains.of(List.of(d)));
    assertThat(log.messages(Level.INFO)).contains("spool directory " + spool.path() + " appeared");
  }

  @Test
  void event_rescansSoon_andPublishesOnlyChanges() throws IOException {
    start();
    events.onChange.run();
    events.onChange.run();
    assertThat(timer.nextDue()).isEqualTo(T0); // the two events make one rescan, now
    timer.advance(Duration.ZERO);
    assertThat(published).hasSize(1);

    Drain d = write(Drain.of("svc:8080", "port"));
    events.onChange.run();
    timer.advance(Duration.ZERO);
    assertThat(published).containsExactly(Drains.none(), Drains.of(List.of(d)));
  }

  @Test
  void rescanEverySecond_catchesChangesWithoutEvents() throws IOException {
    start();
    Drain d = write(Drain.of("svc", "x"));
    timer.advance(Duration.ofMillis(999));
    assertThat(published).hasSize(1);
    timer.advance(Duration.ofMillis(1));
    assertThat(published).containsExactly(Drains.none(), Drains.of(List.of(d)));
  }

  @Test
  void expiry_endsAtThatInstant_deletesTheFile_andSaysSo() throws IOException {
    Instant until = T0.plusMillis(2500);
    write(Drain.of("svc", "deploy").withExpiration(until).withCreation(T0));
    start();
    assertThat(mdc(log.at(Level.INFO).getFirst())).containsEntry("drain_expiration",
        "2025-12-02T04:33:22.500Z");
    assertThat(log.messages(Level.INFO).getFirst()).endsWith(", until 2025-12-02T04:33:22.500Z)");

    timer.advance(Duration.ofMillis(2499));
    assertThat(published).hasSize(1);
    assertThat(timer.nextDue()).isEqualTo(until);
    timer.advance(Duration.ofMillis(1));
    assertThat(published).containsExactly(published.getFirst(), Drains.none());
    assertThat(Files.exists(spool.fileFor("svc"))).isFalse();
    ILoggingEvent line = log.at(Level.INFO).getLast();
    assertThat(line.getFormattedMessage()).isEqualTo("drain of svc expired at " + until);
    assertThat(mdc(line)).containsEntry("drain_event", "expired");
  }

  @Test
  void start_withAnExpiredFile_deletesIt_andPublishesNone() throws IOException {
    write(Drain.of("svc", "old").withExpiration(T0.minusSeconds(5)));
    assertThat(start()).isEqualTo(Drains.none());
    assertThat(Files.exists(spool.fileFor("svc"))).isFalse();
  }

  @Test
  void changeAndRemoval_areLoggedWithTheirKind() throws IOException {
    write(Drain.of("svc", "deploy"));
    start();
    write(Drain.of("svc", "incident\nsee ticket").withExpiration(T0.plusSeconds(600)));
    timer.advance(SpoolWatcher.RESCAN_EVERY);
    spool.remove("svc");
    timer.advance(SpoolWatcher.RESCAN_EVERY);

    List<ILoggingEvent> lines = log.at(Level.INFO);
    assertThat(lines).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "drain of svc started: deploy (spool file " + spool.fileFor("svc") + ", no expiry)",
        "drain of svc changed: incident\\nsee ticket (spool file " + spool.fileFor("svc")
            + ", until 2025-12-02T04:43:20Z)",
        "drain of svc ended (spool file removed)");
    assertThat(mdc(lines.get(1))).containsEntry("drain_reason", "incident\nsee ticket");
    assertThat(lines).extracting(e -> mdc(e).get("drain_event"))
        .containsExactly("started", "changed", "ended");
    assertThat(published).hasSize(3).last().isEqualTo(Drains.none());
  }

  @Test
  void halfWrittenFile_keepsTheDrain_andAnUnparsableNewFileWarnsOnce() throws IOException {
    Drain d = write(Drain.of("svc", "deploy"));
    start();
    Files.writeString(spool.fileFor("svc"), "{\"reason\": \"fo");
    Files.writeString(spool.fileFor("other"), "{\"reason\": ");
    for (int i = 0; i < 3; i++) {
      timer.advance(SpoolWatcher.RESCAN_EVERY);
    }
    assertThat(published.getLast().byName("svc")).contains(d);
    assertThat(published.getLast().byName("other")).contains(Drain.of("other", "{\"reason\": "));
    assertThat(log.messages(Level.WARN)).singleElement().asString()
        .startsWith("spool file " + spool.fileFor("other") + " is not a valid JSON object");
  }

  @Test
  void publisherThatThrows_doesNotStopTheWatcher() throws IOException {
    List<Drains> seen = new ArrayList<>();
    start(drains -> {
      seen.add(drains);
      throw new IllegalStateException("consumer bug");
    });
    write(Drain.of("svc", "x"));
    timer.advance(SpoolWatcher.RESCAN_EVERY);
    assertThat(seen).hasSize(2);
    assertThat(log.messages(Level.ERROR)).hasSize(2);
    assertThat(timer.pending()).isEqualTo(1);
  }

  @Test
  void close_stopsEventsAndTimer() throws IOException {
    start();
    watcher.close();
    assertThat(events.closed).isTrue();
    assertThat(timer.pending()).isZero();
    events.onChange.run(); // a late event
    write(Drain.of("svc", "x"));
    timer.advance(Duration.ofSeconds(5));
    assertThat(published).hasSize(1);
  }
}
