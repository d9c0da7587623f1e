package net.anycast.healthchecker.bird;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.process.CapturedOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Component tests with real processes (sh scripts standing in for birdc). */
class BirdcCommandTest {
  @TempDir Path dir;

  private Path script(String name, String body) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  @Test
  void reconfigure_replySaysReconfigured_isConfirmed() throws Exception {
    Path birdc = script("birdc", "echo 'BIRD 2.0.12 ready.'\necho 'Reading configuration from /x'\necho Reconfigured\n");
    assertThat(new BirdcCommand(birdc + " configure", Duration.ofSeconds(5)).reconfigure())
        .isEqualTo(new ReconfigureResult.Confirmed("Reconfigured"));
  }

  @Test
  void reconfigure_exitZeroWithConfigError_isFailed_likeBirdc16() throws Exception {
    Path birdc = script("birdc", "echo 'BIRD 1.6.8 ready.'\necho '/etc/bird.conf:2:1 syntax error' >&2\nexit 0\n");
    ReconfigureResult r = new BirdcCommand(birdc + " configure", Duration.ofSeconds(5)).reconfigure();
    assertThat(r).isInstanceOf(ReconfigureResult.Failed.class);
    assertThat(((ReconfigureResult.Failed) r).reason()).contains("exit code 0").contains("syntax error");
  }

  @Test
  void reconfigure_missingProgram_isFailed() throws Exception {
    ReconfigureResult r = new BirdcCommand(dir.resolve("nope") + " configure", Duration.ofSeconds(5)).reconfigure();
    assertThat(r).isInstanceOf(ReconfigureResult.Failed.class);
  }

  @Test
  void reconfigure_timeout_killsTheWholeProcessGroup() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Path birdc = script("birdc", "sleep 30 &\necho $! > " + pidFile + "\nwait\n");
    long t0 = System.nanoTime();
    ReconfigureResult r = new BirdcCommand(birdc.toString(), Duration.ofMillis(300)).reconfigure();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(r).isInstanceOf(ReconfigureResult.Failed.class);
    assertThat(((ReconfigureResult.Failed) r).reason()).contains("did not finish within 300 ms");
    long child = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(running(child)).as("the script's own child, sleep 30").isFalse();
  }

  /** Returns true when {@code pid} runs; a killed orphan may stay a zombie until init reaps it. */
  private static boolean running(long pid) throws Exception {
    Path stat = Path.of("/proc/" + pid + "/stat");
    for (int i = 0; i < 50 && Files.exists(stat); i++) {
      try {
        String s = Files.readString(stat);
        if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
          return false;
        }
      } catch (java.nio.file.NoSuchFileException e) {
        return false;
      }
      Thread.sleep(20);
    }
    return Files.exists(stat);
  }

  @Test
  void reconfigure_hugeOutput_isCappedAndDrained() throws Exception {
    Path birdc = script("birdc", "head -c 1000000 /dev/zero | tr '\\\\0' x\necho\necho Reconfigured\n");
    ReconfigureResult r = new BirdcCommand(birdc.toString(), Duration.ofSeconds(5)).reconfigure();
    assertThat(r).isInstanceOf(ReconfigureResult.Failed.class); // the reply was beyond the cap
    assertThat(((ReconfigureResult.Failed) r).reason().length()).isLessThan(CapturedOutput.LIMIT);
  }

  @Test
  void customCommand_getsUpOrDown_andFailsOnNonZeroExit() throws Exception {
    Path log = dir.resolve("log");
    Path cmd = script("custom", "echo \"$@\" >> " + log + "\n[ \"$2\" = up ] || { echo no >&2; exit 3; }\n");
    ServiceConfig s = TestServices.service("svc", net.anycast.healthchecker.config.OnDisabled.WITHDRAW,
        cmd + " --flag", "10.0.0.1");
    CustomReconfigureCommand c = new CustomReconfigureCommand(s);
    assertThat(c.run(true).confirmed()).isTrue();
    ReconfigureResult down = c.run(false);
    assertThat(down).isEqualTo(new ReconfigureResult.Failed(
        "custom_bird_reconfigure_cmd of svc '" + cmd + " --flag down' exited 3: no"));
    assertThat(Files.readAllLines(log)).containsExactly("--flag up", "--flag down");
  }

  @Test
  void customCommand_timeout_getsSigtermToCleanUp_likeTheOriginal() throws Exception {
    Path cleaned = dir.resolve("cleaned");
    Path cmd = script("custom", "trap 'echo bye > " + cleaned + "; exit 0' TERM\nsleep 30 &\nwait\n");
    ServiceConfig s = TestServices.service("svc", net.anycast.healthchecker.config.OnDisabled.WITHDRAW,
        cmd.toString(), "10.0.0.1");
    ServiceConfig fast = new ServiceConfig(s.name(), s.checks(), s.checkInterval(),
        s.checkTimeout(), s.checkRise(), s.checkFail(), s.checkDisabled(), s.onDisabled(),
        s.interfaceName(), s.ipCheckDisabled(), s.prefixes(), s.customBirdReconfigureCmd(),
        Duration.ofMillis(300), s.onDrain());
    ReconfigureResult r = new CustomReconfigureCommand(fast).run(true);
    assertThat(r).isEqualTo(new ReconfigureResult.Failed("custom_bird_reconfigure_cmd of svc '"
        + cmd + " up' did not finish within 300 ms: killed"));
    assertThat(Files.readString(cleaned)).isEqualTo("bye\n");
  }

  @Test
  void reconfigure_bird3InProgress_runsConfigureStatus_untilDone() throws Exception {
    Path count = dir.resolve("count");
    Path birdc = script("birdc", """
        echo 'BIRD 3.3.2 ready.'
        if [ "$*" = "configure" ]; then echo 'Reconfiguration in progress'; exit 0; fi
        n=$(cat %s 2>/dev/null || echo 0); n=$((n + 1)); echo $n > %s
        if [ $n -lt 3 ]; then echo 'Reconfiguration in progress'; else echo 'Daemon is up and running'; fi
        """.formatted(count, count));
    assertThat(new BirdcCommand(birdc + " configure", Duration.ofSeconds(5)).reconfigure())
        .isEqualTo(new ReconfigureResult.Confirmed("Reconfigured"));
    assertThat(Files.readString(count).strip()).isEqualTo("3");
  }

  /** Issue 15: BIRD 2.0.12 held a birdc reconfigure's BGP update up to 3 s; a poke wakes it. */
  @Test
  void reconfigure_confirmed_wakesBirdThroughTheCommandsSocket_withShowStatus() throws Exception {
    try (FakeBird bird = FakeBird.start(dir.resolve("b.ctl"))) {
      Path birdc = script("birdc", "echo Reconfigured\n");
      BirdcCommand command =
          new BirdcCommand(birdc + " -s " + bird.path() + " configure", Duration.ofSeconds(5));
      assertThat(command.wakes()).contains(bird.path());
      assertThat(command.reconfigure().confirmed()).isTrue();
      assertThat(bird.await("1:show status")).as("events: %s", bird.events()).isTrue();
    }
  }

  @Test
  void reconfigure_failed_doesNotWakeBird() throws Exception {
    try (FakeBird bird = FakeBird.start(dir.resolve("b.ctl"))) {
      Path birdc = script("birdc", "echo 'syntax error' >&2\nexit 1\n");
      new BirdcCommand(birdc + " -s " + bird.path() + " configure", Duration.ofSeconds(5))
          .reconfigure();
      assertThat(bird.connections()).isZero();
    }
  }

  @Test
  void reconfigure_socketCannotBeOpened_isStillConfirmed() throws Exception {
    Path birdc = script("birdc", "echo Reconfigured\n");
    ReconfigureResult r = new BirdcCommand(birdc + " -s " + dir.resolve("none.ctl") + " configure",
        Duration.ofSeconds(5)).reconfigure();
    assertThat(r.confirmed()).isTrue();
  }
}
