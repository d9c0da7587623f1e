package net.anycast.healthchecker.bird;

import static net.anycast.healthchecker.bird.TestServices.p;
import static net.anycast.healthchecker.bird.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {
  @TempDir Path dir;

  private InputsRef board;
  private final OwedChecks running = new OwedChecks();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final RecordingControl control = new RecordingControl();
  private final List<String> customRuns = java.util.Collections.synchronizedList(new ArrayList<>());
  private Reconciler.CustomCommand customCommand; // when set, instead of the recording one
  private final java.util.ArrayDeque<ReconfigureResult> customAnswers = new java.util.ArrayDeque<>();
  private Path conf;
  private Holdoff holdoff = Holdoff.NONE;
  private int directorySyncFailures;

  private boolean renameCarriesData; // the store's filesystem promise (RenameOrdering)

  /**
   * The store's fsyncs, recorded on the control's timeline; the directory's fails while told to.
   */
  private final PrefixFileStore.Fsync fsync = new PrefixFileStore.Fsync() {
    @Override
    public void file(Path f) {
      control.timeline.add("fsync data " + dir.relativize(f));
    }

    @Override
    public void directory(Path d) throws IOException {
      control.timeline.add("fsync " + dir.relativize(d));
      if (directorySyncFailures > 0) {
        directorySyncFailures--;
        throw new IOException("fsync failed");
      }
    }
  };

  private PrefixFileStore store() {
    return new PrefixFileStore(conf, false, 128, Clock.systemUTC(), fsync,
        d -> renameCarriesData);
  }

  private Reconciler reconciler(List<ServiceConfig> services, boolean purge) {
    if (conf == null) {
      conf = dir.resolve("anycast-prefixes.conf");
    }
    BirdFamilyConfig bird = new BirdFamilyConfig(IpFamily.IPV4, conf, "ACAST_PS_ADVERTISE",
        "unused", p("10.189.200.255/32"), false, 128, null);
    board = new InputsRef(Inputs.of(services));
    return new Reconciler(bird, purge, board, running::dueBy,
        store(),
        settings -> control,
        customCommand != null ? customCommand : (s, up) -> {
          customRuns.add(s.name() + " " + (up ? "up" : "down"));
          return customAnswers.isEmpty() ? new ReconfigureResult.Confirmed("") : customAnswers.poll();
        },
        scheduler, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5)), holdoff, () -> {});
  }

  private List<IpPrefix> fileSays() throws IOException {
    return List.copyOf(PrefixFile.parse(Files.readString(conf)).prefixes());
  }

  private static List<ServiceConfig> many(int n) {
    return IntStream.range(0, n).mapToObj(i -> service("s" + i, "10.1." + (i / 250) + "." + (i % 250 + 1))).toList();
  }

  @Test
  void start_missingFile_createsItWithTheDummy_andReconfiguresOnce() throws IOException {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"));
    assertThat(control.count()).isEqualTo(1);
    assertThat(r.status().inSync()).isTrue();
    assertThat(r.status().passes()).isEqualTo(1);
  }

  @Test
  void start_fileAlreadyRight_writesNothing_butReconfiguresOnce_soARestartAfterAKillConverges()
      throws IOException {
    conf = dir.resolve("anycast-prefixes.conf");
    PrefixFile f = PrefixFile.of("ACAST_PS_ADVERTISE", p("10.189.200.255/32"), List.of(p("10.0.0.1")));
    Files.writeString(conf, f.render(java.time.LocalDateTime.of(2020, 1, 1, 0, 0), 1));
    String before = Files.readString(conf);
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    scheduler.runDue();
    assertThat(Files.readString(conf)).isEqualTo(before);
    assertThat(control.count()).isEqualTo(1);
    assertThat(r.status().fileWrites()).isZero();
  }

  @Test
  void start_unknownService_keepsWhatTheFileHad_soARestartNeverFlaps() throws IOException {
    conf = dir.resolve("anycast-prefixes.conf");
    Files.writeString(conf, "define ACAST_PS_ADVERTISE = [\n 10.189.200.255/32,\n 10.0.0.1/32\n];\n");
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1"), service("b", "10.0.0.2")), false);
    r.start();
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"));
    board.publish("b", Health.UP);
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"), p("10.0.0.2"));
  }

  @Test
  void start_wrongVariableAndMissingDummy_rewritesTheFile() throws IOException {
    conf = dir.resolve("anycast-prefixes.conf");
    Files.writeString(conf, "define OLD_NAME =\n [\n 10.0.0.1/32\n ];\n");
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    scheduler.runDue();
    PrefixFile.Parsed parsed = PrefixFile.parse(Files.readString(conf));
    assertThat(parsed.variable()).contains("ACAST_PS_ADVERTISE");
    assertThat(parsed.prefixes()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"));
  }

  @Test
  void start_orphanPrefix_keptUntilTheFirstUpdate_orPurgedAtOnce() throws IOException {
    conf = dir.resolve("anycast-prefixes.conf");
    Files.writeString(conf, "define ACAST_PS_ADVERTISE = [\n 10.189.200.255/32,\n 10.9.9.9/32\n];\n");
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    scheduler.runDue();
    assertThat(fileSays()).contains(p("10.9.9.9"));
    board.publish("a", Health.UP);
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"));

    Files.writeString(conf, "define ACAST_PS_ADVERTISE = [\n 10.189.200.255/32,\n 10.9.9.9/32\n];\n");
    Reconciler purging = reconciler(List.of(service("a", "10.0.0.1")), true);
    purging.start();
    scheduler.runDue();
    assertThat(fileSays()).doesNotContain(p("10.9.9.9"));
  }

  @Test
  void health_downAndDisabledWithdraw_removed_upAndDisabledAdvertise_announced() throws IOException {
    Reconciler r = reconciler(List.of(service("up", "10.0.0.1"), service("down", "10.0.0.2"),
        service("adv", OnDisabled.ADVERTISE, null, "10.0.0.3"),
        service("wd", OnDisabled.WITHDRAW, null, "10.0.0.4")), false);
    r.start();
    board.publish("up", Health.UP);
    board.publish("down", Health.DOWN);
    board.publish("adv", Health.DISABLED);
    board.publish("wd", Health.DISABLED);
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"), p("10.0.0.3"));
    assertThat(r.status().desiredPrefixes()).isEqualTo(2);
    assertThat(r.status().appliedPrefixes()).isEqualTo(2);
  }

  @Test
  void burst_arrivingDuringAReconfigure_isFoldedIntoOneMorePass() throws IOException {
    List<ServiceConfig> services = many(200);
    Reconciler r = reconciler(services, false);
    services.forEach(s -> board.publish(s.name(), Health.UP));
    r.start();
    scheduler.runDue();
    assertThat(control.count()).isEqualTo(1);
    assertThat(fileSays()).hasSize(201);

    board.publish("s0", Health.DOWN); // wakes: the pass is queued
    control.during = () -> services.stream().skip(1).forEach(s -> board.publish(s.name(), Health.DOWN));
    scheduler.runDue();
    assertThat(control.count()).isEqualTo(3); // start-up, the first change, everything else
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"));
    assertThat(r.status().passes()).isEqualTo(3);
  }

  @Test
  void burst_heldPassRunsAsSoonAsTheLastRunningCheckFinishes() throws IOException {
    holdoff = new Holdoff(Duration.ofSeconds(1));
    List<ServiceConfig> services = many(100);
    Reconciler r = reconciler(services, false);
    services.forEach(s -> board.publish(s.name(), Health.UP));
    r.start();
    scheduler.runDue();
    scheduler.advance(Duration.ofSeconds(1));
    services.forEach(s -> running.due(scheduler.nanoTime())); // one slot: every check starts
    board.publish("s0", Health.DOWN);
    running.finished();
    scheduler.runDue();
    assertThat(control.count()).as("the first result is applied at once").isEqualTo(2);
    for (int i = 1; i <= 5; i++) { // results in clumps 150 ms apart
      scheduler.advance(Duration.ofMillis(150));
      board.publish("s" + i, Health.DOWN);
      running.finished();
    }
    assertThat(control.count()).as("checks still run: held").isEqualTo(2);
    for (int i = 6; i < services.size(); i++) {
      board.publish("s" + i, Health.DOWN);
      running.finished();
    }
    scheduler.advance(Holdoff.POLL);
    assertThat(control.count()).as("no check runs: nothing more can come").isEqualTo(3);
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"));
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(control.count()).as("a hold with nothing new does nothing").isEqualTo(3);
    board.publish("s0", Health.UP);
    scheduler.runDue();
    assertThat(control.count()).as("a lone change is applied at once").isEqualTo(4);
    assertThat(r.status().inSync()).isTrue();
  }

  @Test
  void checksThatNeverStop_holdNoLongerThanTheMaximum() {
    holdoff = new Holdoff(Duration.ofMillis(300));
    List<ServiceConfig> services = many(400);
    Reconciler r = reconciler(services, false);
    r.start();
    scheduler.runDue();
    scheduler.advance(Duration.ofSeconds(1));
    running.due(scheduler.nanoTime()); // checks keep running throughout
    board.publish("s0", Health.UP); // idle: at once, then the hold begins
    scheduler.runDue();
    assertThat(control.count()).isEqualTo(2);
    int i = 1;
    for (; i < 299; i++) { // a change every 1 ms for 298 ms
      board.publish("s" + i, Health.UP);
      scheduler.advance(Duration.ofMillis(1));
    }
    assertThat(control.count()).isEqualTo(2);
    board.publish("s" + i, Health.UP);
    scheduler.advance(Duration.ofMillis(3)); // 300 ms after the hold began
    assertThat(control.count()).as("the maximum ends the wait").isEqualTo(3);
    assertThat(r.status().desiredPrefixes()).isEqualTo(300);
  }

  @Test
  void holdoff_progressStaysCurrent_soTheWatchdogSeesNoStall() {
    holdoff = new Holdoff(Duration.ofMillis(500));
    running.due(scheduler.nanoTime());
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    scheduler.runDue();
    scheduler.tick(Duration.ofMillis(400));
    assertThat(r.progress(scheduler.nanoTime())).isEqualTo(scheduler.nanoTime());
  }

  @Test
  void burst_beforeThePassRuns_costsOneWriteAndOneReconfigure() {
    List<ServiceConfig> services = many(200);
    Reconciler r = reconciler(services, false);
    r.start();
    scheduler.runDue();
    services.forEach(s -> board.publish(s.name(), Health.UP));
    scheduler.runDue();
    assertThat(control.count()).isEqualTo(2);
    assertThat(r.status().fileWrites()).isEqualTo(2);
  }

  @Test
  void flapWithinOnePass_changesNothing_noWriteNoReconfigure() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    board.publish("a", Health.UP);
    r.start();
    scheduler.runDue();
    board.publish("a", Health.DOWN);
    board.publish("a", Health.UP);
    scheduler.runDue();
    assertThat(control.count()).isEqualTo(1);
    assertThat(r.status().fileWrites()).isEqualTo(1);
  }

  @Test
  void reconfigureFails_retriesWithCappedBackoff_untilBirdConfirms() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    for (int i = 0; i < 7; i++) {
      control.answers.add(new ReconfigureResult.Failed("8002 bad"));
    }
    r.start();
    scheduler.runDue();
    List<Duration> delays = new ArrayList<>();
    while (control.count() < 8) {
      Duration d = scheduler.nextDelay();
      delays.add(d);
      scheduler.advance(d);
    }
    assertThat(delays).extracting(Duration::toMillis)
        .containsExactly(200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
    assertThat(r.status().inSync()).isTrue();
    assertThat(r.status().reconfigureFailures()).isEqualTo(7);
    assertThat(r.status().error()).isEmpty();
    assertThat(scheduler.nextDelay()).isNull();
  }

  @Test
  void reconfigureFailing_statusSaysWhy() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    control.answers.add(new ReconfigureResult.Failed("8002 syntax error"));
    r.start();
    scheduler.runDue();
    assertThat(r.status().inSync()).isFalse();
    assertThat(r.status().consecutiveFailures()).isEqualTo(1);
    assertThat(r.status().error()).get().asString()
        .isEqualTo("failed to reconfigure IPv4 BIRD via recording fake: 8002 syntax error");
  }

  @Test
  void changeDuringBackoff_isAppliedAtOnce() throws IOException {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    control.answers.add(new ReconfigureResult.Failed("down"));
    r.start();
    scheduler.runDue();
    board.publish("a", Health.UP);
    scheduler.runDue();
    assertThat(fileSays()).contains(p("10.0.0.1"));
    assertThat(control.count()).isEqualTo(2);
    assertThat(r.status().inSync()).isTrue();
    assertThat(scheduler.advance(Duration.ofSeconds(10))).isEqualTo(1); // stale retry: no-op
    assertThat(control.count()).isEqualTo(2);
  }

  @Test
  void writeFails_retries_andConvergesOnceWritable() throws IOException {
    Path blocker = Files.writeString(dir.resolve("sub"), "not a directory");
    conf = blocker.resolve("anycast-prefixes.conf");
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    board.publish("a", Health.UP);
    r.start();
    scheduler.runDue();
    scheduler.advance(Duration.ofMillis(200));
    assertThat(r.status().writeFailures()).isEqualTo(2);
    assertThat(control.count()).isZero();
    Files.delete(blocker);
    Files.createDirectory(blocker);
    scheduler.advance(Duration.ofMillis(400));
    assertThat(fileSays()).contains(p("10.0.0.1"));
    assertThat(control.count()).isEqualTo(1);
    assertThat(r.status().inSync()).isTrue();
  }

  @Test
  void customCommand_runsWithItsDirection_insteadOfTheFamilyReconfigure() throws IOException {
    Reconciler r = reconciler(List.of(service("c", OnDisabled.WITHDRAW, "/x/reload", "10.0.0.1"),
        service("plain", "10.0.0.2")), false);
    board.publish("c", Health.UP);
    board.publish("plain", Health.UP);
    r.start();
    scheduler.runDue();
    assertThat(control.count()).isEqualTo(1); // start-up always reconfigures
    assertThat(customRuns).containsExactly("c up");

    board.publish("c", Health.DOWN);
    scheduler.runDue();
    assertThat(fileSays()).doesNotContain(p("10.0.0.1"));
    assertThat(customRuns).containsExactly("c up", "c down");
    assertThat(control.count()).isEqualTo(1);

    board.publish("plain", Health.DOWN);
    scheduler.runDue();
    assertThat(control.count()).isEqualTo(2);
    assertThat(customRuns).hasSize(2);
  }

  @Test
  void customCommand_failing_isRetriedWithTheLatestDirection() {
    Reconciler r = reconciler(List.of(service("c", OnDisabled.WITHDRAW, "/x/reload", "10.0.0.1")), false);
    board.publish("c", Health.UP);
    customAnswers.add(new ReconfigureResult.Failed("exit 1"));
    r.start();
    scheduler.runDue();
    assertThat(r.status().customCommandFailures()).isEqualTo(1);
    board.publish("c", Health.DOWN); // the up never succeeded, and BIRD never had it: down is moot
    scheduler.runDue();
    assertThat(customRuns).containsExactly("c up");
    assertThat(r.status().inSync()).isTrue();
    board.publish("c", Health.UP);
    scheduler.runDue();
    assertThat(customRuns).containsExactly("c up", "c up");
  }

  @Test
  void write_directoryFsyncComesAfterTheConfigure() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    scheduler.runDue();
    assertThat(control.timeline).containsExactly("configure", "fsync ");
    board.publish("a", Health.UP);
    scheduler.runDue();
    assertThat(control.timeline).containsExactly("configure", "fsync ", "configure", "fsync ");
  }

  @Test
  void write_renameCarriesTheData_theDataFsyncAlsoComesAfterTheConfigure_beforeTheDirectory() {
    renameCarriesData = true;
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    scheduler.runDue();
    control.timeline.clear();
    board.publish("a", Health.UP);
    scheduler.runDue();
    assertThat(control.timeline)
        .containsExactly("configure", "fsync data anycast-prefixes.conf", "fsync ");
  }

  @Test
  void write_reconfigureFails_directoryIsFsyncedAnyway() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    control.answers.add(new ReconfigureResult.Failed("8002 bad"));
    r.start();
    scheduler.runDue();
    assertThat(r.status().reconfigureFailures()).isEqualTo(1);
    assertThat(control.timeline).containsExactly("configure", "fsync ");
  }

  @Test
  void write_reconfigureThrows_directoryIsFsyncedAnyway() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    control.during = () -> {
      throw new IllegalStateException("a bug in the control");
    };
    r.start();
    scheduler.runDue();
    assertThat(r.status().inSync()).isFalse();
    assertThat(control.timeline).containsExactly("configure", "fsync ");
  }

  @Test
  void write_noReconfigureNeeded_directoryIsFsyncedBeforeTheCustomCommand() {
    Reconciler r = reconciler(List.of(service("c", OnDisabled.WITHDRAW, "/x/reload", "10.0.0.1")), false);
    r.start();
    scheduler.runDue();
    control.timeline.clear();
    board.publish("c", Health.UP);
    scheduler.runDue();
    assertThat(customRuns).containsExactly("c up");
    assertThat(control.timeline).containsExactly("fsync ");
  }

  @Test
  void directoryFsyncFails_passFails_andTheRetryFsyncsWithoutReconfiguringAgain() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    directorySyncFailures = 1;
    r.start();
    scheduler.runDue();
    assertThat(r.status().inSync()).isFalse();
    assertThat(r.status().writeFailures()).isEqualTo(1);
    assertThat(r.status().error()).get().asString()
        .startsWith("failed to fsync IPv4 prefix file ");
    scheduler.advance(scheduler.nextDelay());
    assertThat(control.timeline).containsExactly("configure", "fsync ", "fsync ");
    assertThat(r.status().inSync()).isTrue();
    assertThat(scheduler.nextDelay()).isNull();
  }

  @Test
  void close_closesTheBirdControl() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    scheduler.runDue();
    r.close();
    assertThat(control.closed).isTrue();
  }

  @Test
  void close_stopsPasses() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    r.close();
    scheduler.runDue();
    board.publish("a", Health.UP);
    scheduler.runDue();
    assertThat(control.count()).isZero();
  }

  @Test
  void applySettings_newVariable_fileRewrittenAndBirdReconfigured_evenWithTheSamePrefixes()
      throws IOException {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    board.publish("a", Health.UP);
    scheduler.runDue();
    int configures = control.count();
    r.applySettings(new BirdFamilyConfig(IpFamily.IPV4, conf, "NEW_NAME", "unused",
        p("10.189.200.254/32"), false, 128, null));
    scheduler.runDue();
    PrefixFile.Parsed parsed = PrefixFile.parse(Files.readString(conf));
    assertThat(parsed.variable()).contains("NEW_NAME");
    assertThat(parsed.prefixes()).containsExactly(p("10.189.200.254/32"), p("10.0.0.1"));
    assertThat(control.count()).isEqualTo(configures + 1);
  }

  @Test
  void applySettings_anotherWayToBird_oldOneClosed_nextReconfigureGoesTheNewWay() {
    RecordingControl socket = new RecordingControl();
    conf = dir.resolve("anycast-prefixes.conf");
    BirdFamilyConfig viaCommand = new BirdFamilyConfig(IpFamily.IPV4, conf, "ACAST_PS_ADVERTISE",
        "unused", p("10.189.200.255/32"), false, 128, null);
    BirdFamilyConfig viaSocket = new BirdFamilyConfig(IpFamily.IPV4, conf, "ACAST_PS_ADVERTISE",
        "unused", p("10.189.200.255/32"), false, 128, dir.resolve("bird.ctl"));
    board = new InputsRef(Inputs.of(List.of(service("a", "10.0.0.1"))));
    Reconciler r = new Reconciler(viaCommand, false, board, running::dueBy,
        store(),
        settings -> settings.controlSocket().isPresent() ? socket : control,
        (s, up) -> new ReconfigureResult.Confirmed(""), scheduler,
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5)), holdoff, () -> {});
    r.start();
    scheduler.runDue();
    r.applySettings(viaSocket);
    scheduler.runDue();
    assertThat(control.closed).isTrue();
    assertThat(socket.count()).as("nothing to tell BIRD yet").isZero();
    board.publish("a", Health.UP);
    scheduler.runDue();
    assertThat(control.count()).isEqualTo(1);
    assertThat(socket.count()).isEqualTo(1);
    r.close();
    assertThat(socket.closed).isTrue();
  }

  @Test
  void applySettings_anotherFile_refused() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.applySettings(
        new BirdFamilyConfig(IpFamily.IPV4, dir.resolve("other.conf"), "ACAST_PS_ADVERTISE",
            "unused", p("10.189.200.255/32"), false, 128, null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reload_addedServiceUnknown_newPrefixNotAnnouncedUntilItRises() throws IOException {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    board.publish("a", Health.UP);
    scheduler.runDue();
    int configures = control.count();
    board.update(i -> i.withServices(List.of(service("a", "10.0.0.1"), service("n", "10.0.0.5"))));
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"));
    assertThat(control.count()).as("nothing to announce yet: no reconfigure").isEqualTo(configures);
    board.publish("n", Health.UP);
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"), p("10.0.0.5"));
  }

  @Test
  void reload_addedServiceNeverInheritsTheStartupFile() throws IOException {
    conf = dir.resolve("anycast-prefixes.conf");
    Files.writeString(conf, "define ACAST_PS_ADVERTISE = [\n 10.189.200.255/32,\n 10.0.0.1/32,\n"
        + " 10.0.0.2/32\n];\n");
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1"), service("b", "10.0.0.2")), false);
    r.start();
    board.publish("b", Health.DOWN); // withdrawn since the start
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"));
    // b goes, and a new service c takes b's prefix: the file had it at start-up, not now.
    board.update(i -> i.withServices(List.of(service("a", "10.0.0.1"), service("c", "10.0.0.2"))));
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"));
  }

  @Test
  void reload_removedWithdrawn_renamedKeepsItsRoute_unchangedSetWritesNothing() throws IOException {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1"), service("b", "10.0.0.2"),
        service("c", "10.0.0.3")), false);
    r.start();
    board.publish("a", Health.UP);
    board.publish("b", Health.UP);
    board.publish("c", Health.UP);
    scheduler.runDue();
    long writes = r.status().fileWrites();
    int configures = control.count();

    // a renamed to a2 (still UNKNOWN: keeps what is announced), b's interval changed (health
    // kept by name): the desired set is the same, so no write and no reconfigure.
    ServiceConfig slowerB = net.anycast.healthchecker.check.TestServices.withTiming(
        service("b", "10.0.0.2"), Duration.ofSeconds(30), Duration.ofSeconds(2));
    board.update(i -> i.withServices(List.of(service("a2", "10.0.0.1"), slowerB,
        service("c", "10.0.0.3"))));
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"), p("10.0.0.2"),
        p("10.0.0.3"));
    assertThat(r.status().fileWrites()).isEqualTo(writes);
    assertThat(control.count()).isEqualTo(configures);

    // c removed: withdrawn in one pass.
    board.update(i -> i.withServices(List.of(service("a2", "10.0.0.1"), slowerB)));
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.1"), p("10.0.0.2"));
    assertThat(control.count()).isEqualTo(configures + 1);
  }

  @Test
  void reload_prefixMovedOfAnUpService_oneWriteOneReconfigure() throws IOException {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    board.publish("a", Health.UP);
    scheduler.runDue();
    long writes = r.status().fileWrites();
    int configures = control.count();
    board.update(i -> i.withServices(List.of(service("a", "10.0.0.7"))));
    scheduler.runDue();
    assertThat(fileSays()).containsExactly(p("10.189.200.255/32"), p("10.0.0.7"));
    assertThat(r.status().fileWrites()).isEqualTo(writes + 1);
    assertThat(control.count()).isEqualTo(configures + 1);
  }

  @Test
  void reload_addedServiceWithCustomCommand_runsItOnlyWhenItsDirectionChanges() {
    Reconciler r = reconciler(List.of(service("a", "10.0.0.1")), false);
    r.start();
    scheduler.runDue();
    board.update(i -> i.withServices(List.of(service("a", "10.0.0.1"),
        service("x", OnDisabled.WITHDRAW, "/bin/true", "10.0.0.8"))));
    scheduler.runDue();
    assertThat(customRuns).isEmpty();
    board.publish("x", Health.UP);
    scheduler.runDue();
    assertThat(customRuns).containsExactly("x up");
  }

  @Test
  void customCommands_ofOnePass_runTogether_soHangingOnesHoldThePassOneTimeoutNotTwenty()
      throws IOException {
    List<ServiceConfig> services = IntStream.range(0, 20).mapToObj(i -> service("c" + i,
        OnDisabled.WITHDRAW, "/x/reload", "10.0.0." + (i + 1))).toList();
    java.util.concurrent.CountDownLatch allStarted = new java.util.concurrent.CountDownLatch(20);
    customCommand = (s, up) -> {
      // Each command "hangs" until its timeout unless all twenty run at once; one after another,
      // the first would wait its whole timeout and fail.
      allStarted.countDown();
      boolean together = allStarted.await(10, java.util.concurrent.TimeUnit.SECONDS);
      customRuns.add(s.name());
      return together ? new ReconfigureResult.Confirmed("")
          : new ReconfigureResult.Failed(s.name() + " did not finish within 10000 ms: killed");
    };
    Reconciler r = reconciler(services, false);
    services.forEach(s -> board.publish(s.name(), Health.UP));
    r.start();
    scheduler.runDue();
    assertThat(customRuns).hasSize(20);
    assertThat(r.status().customCommandFailures()).isZero();
    assertThat(r.status().inSync()).isTrue();
  }
}
