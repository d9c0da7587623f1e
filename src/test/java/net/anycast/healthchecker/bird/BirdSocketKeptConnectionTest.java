package net.anycast.healthchecker.bird;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The control-socket client keeps one connection: reuse, reconnect, retry once, serialise. */
@Timeout(30)
class BirdSocketKeptConnectionTest {
  private static final ReconfigureResult CONFIRMED = new ReconfigureResult.Confirmed("Reconfigured");
  @TempDir Path dir;
  private FakeBird bird;
  private BirdSocket socket;

  private BirdSocket connect(FakeBird.Script script, Duration timeout) throws Exception {
    bird = FakeBird.start(dir.resolve("bird.ctl"), script);
    socket = new BirdSocket(bird.path(), timeout);
    return socket;
  }

  private BirdSocket connect(FakeBird.Script script) throws Exception {
    return connect(script, Duration.ofSeconds(5));
  }

  @AfterEach
  void close() throws Exception {
    if (socket != null) {
      socket.close();
    }
    if (bird != null) {
      bird.close();
    }
  }

  @Test
  void commands_shareOneConnection_andReadOneGreeting() throws Exception {
    BirdSocket s = connect((n, c) -> FakeBird.usual(c));
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    assertThat(s.configureCheck().confirmed()).isTrue();
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    assertThat(s.command("show protocols")).extracting(BirdReply.Line::text)
        .containsExactly("show protocols");
    assertThat(bird.connections()).isEqualTo(1);
    assertThat(bird.events()).containsExactly("1:configure", "1:show status",
        "1:configure check", "1:configure", "1:show status", "1:show protocols");
  }

  @Test
  void birdClosedTheKeptConnection_nextReconfigureReconnects_andSucceedsInOneCall()
      throws Exception {
    BirdSocket s = connect((n, c) -> n == 1 && c.equals("show status")
        ? FakeBird.usual(c).thenHangUp() : FakeBird.usual(c));
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    assertThat(bird.connections()).isEqualTo(2);
    assertThat(bird.events()).containsExactly(
        "1:configure", "1:show status", "2:configure", "2:show status");
  }

  @Test
  void keptConnectionDiesMidCommand_commandRetriedOnceOnANewConnection() throws Exception {
    int[] configures = {0};
    BirdSocket s = connect((n, c) -> c.equals("configure") && n == 1 && ++configures[0] == 2
        ? FakeBird.Answer.silentHangUp() : FakeBird.usual(c));
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    assertThat(bird.connections()).isEqualTo(2);
    assertThat(bird.events()).containsExactly("1:configure", "1:show status",
        "1:configure", "2:configure", "2:show status");
  }

  @Test
  void freshConnectionFails_isReportedAsBefore_withoutRetry() throws Exception {
    BirdSocket s = connect((n, c) -> FakeBird.Answer.silentHangUp());
    assertThat(s.reconfigure()).isEqualTo(new ReconfigureResult.Failed("'configure' on BIRD's"
        + " control socket " + bird.path() + " failed: BIRD closed the connection before the end"
        + " of its reply"));
    assertThat(bird.connections()).isEqualTo(1);
  }

  @Test
  void keptConnectionFails_andSoDoesTheRetry_isFailed_afterExactlyOneRetry() throws Exception {
    BirdSocket s = connect((n, c) -> n == 1 && bird.events().size() <= 2
        ? FakeBird.usual(c) : FakeBird.Answer.silentHangUp());
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    assertThat(s.reconfigure()).isInstanceOf(ReconfigureResult.Failed.class);
    assertThat(bird.connections()).isEqualTo(2);
    assertThat(bird.events()).containsExactly(
        "1:configure", "1:show status", "1:configure", "2:configure");
  }

  @Test
  void timeoutOnKeptConnection_notRetried_andTheLateReplyIsNeverTakenForTheNext()
      throws Exception {
    int[] configures = {0};
    BirdSocket s = connect((n, c) -> c.equals("configure") && ++configures[0] == 2
        ? FakeBird.Answer.reply("8002 late\n").after(Duration.ofMillis(800))
        : FakeBird.usual(c), Duration.ofMillis(300));
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    long t0 = System.nanoTime();
    ReconfigureResult slow = s.reconfigure();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(slow).isInstanceOf(ReconfigureResult.Failed.class);
    assertThat(((ReconfigureResult.Failed) slow).reason()).contains("no complete reply from BIRD in time");
    assertThat(tookMs).as("one timeout, no retry").isLessThan(600);
    assertThat(bird.connections()).isEqualTo(1);
    // On the old connection BIRD's late 8002 would be read as the answer to this configure.
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    assertThat(bird.connections()).isEqualTo(2);
  }

  @Test
  void unaskedLinesOnTheKeptConnection_areNeverTakenForTheNextReply() throws Exception {
    BirdSocket s = connect((n, c) -> n == 1 && c.equals("show status")
        ? FakeBird.Answer.reply("0013 Daemon is up and running\n8002 unasked\n")
        : FakeBird.usual(c));
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    assertThat(bird.connections()).isEqualTo(2);
  }

  @Test
  void concurrentCallers_neverInterleaveOnTheConnection() throws Exception {
    BirdSocket s = connect((n, c) -> FakeBird.usual(c));
    List<ReconfigureResult> reconfigures = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> wrongReplies = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread a = Thread.ofPlatform().start(() -> {
      for (int i = 0; i < 50; i++) {
        try {
          reconfigures.add(s.reconfigure());
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    Thread b = Thread.ofPlatform().start(() -> {
      for (int i = 0; i < 200; i++) {
        try {
          List<BirdReply.Line> reply = s.command("show route " + i);
          if (reply.size() != 1 || !reply.getFirst().text().equals("show route " + i)) {
            wrongReplies.add(i + ": " + reply);
          }
        } catch (Exception e) {
          wrongReplies.add(i + ": " + e);
        }
      }
    });
    assertThat(a.join(Duration.ofSeconds(20))).isTrue();
    assertThat(b.join(Duration.ofSeconds(20))).isTrue();
    assertThat(reconfigures).hasSize(50).containsOnly(CONFIRMED);
    assertThat(wrongReplies).isEmpty();
    assertThat(bird.connections()).isEqualTo(1);
  }

  @Test
  void close_closesTheConnection_andLaterCallsFail() throws Exception {
    BirdSocket s = connect((n, c) -> FakeBird.usual(c));
    assertThat(s.reconfigure()).isEqualTo(CONFIRMED);
    s.close();
    assertThat(bird.await("1:EOF")).isTrue();
    ReconfigureResult after = s.reconfigure();
    assertThat(after).isInstanceOf(ReconfigureResult.Failed.class);
    assertThat(((ReconfigureResult.Failed) after).reason()).endsWith("failed: closed at shutdown");
    assertThat(bird.connections()).isEqualTo(1);
  }

  @Test
  void reconfigure_bird3InProgress_asksConfigureStatus_untilDone() throws Exception {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    BirdSocket s = connect((n, c) -> switch (c) {
      case "configure" -> FakeBird.Answer.reply(
          "0002-Reading configuration from /etc/bird.conf\n0004 Reconfiguration in progress\n");
      case "configure status" -> asked.incrementAndGet() < 3
          ? FakeBird.Answer.reply("0004-Reconfiguration in progress\n0000 \n")
          : FakeBird.Answer.reply("0003-Daemon is up and running\n0000 \n");
      default -> FakeBird.usual(c);
    });
    assertThat(s.reconfigure()).isEqualTo(new ReconfigureResult.Confirmed("Reconfigured"));
    assertThat(asked.get()).isEqualTo(3);
  }

  @Test
  void reconfigure_bird3NeverDone_failsAtTheDeadline() throws Exception {
    BirdSocket s = connect((n, c) -> switch (c) {
      case "configure" -> FakeBird.Answer.reply("0004 Reconfiguration in progress\n");
      case "configure status" -> FakeBird.Answer.reply("0004-Reconfiguration in progress\n0000 \n");
      default -> FakeBird.usual(c);
    }, Duration.ofMillis(500));
    assertThat(s.reconfigure()).isInstanceOfSatisfying(ReconfigureResult.Failed.class,
        f -> assertThat(f.reason()).contains("still applying"));
  }
}
