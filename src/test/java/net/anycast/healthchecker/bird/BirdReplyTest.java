package net.anycast.healthchecker.bird;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BirdReplyTest {
  private static BirdReply.Line line(String raw, int previous) {
    return BirdReply.parseLine(raw, previous).orElseThrow();
  }

  @Test
  void parseLine_readsCodeTextAndWhetherItIsTheLast() {
    assertThat(line("0001 BIRD 2.0.12 ready.", 0)).isEqualTo(new BirdReply.Line(1, "BIRD 2.0.12 ready.", true));
    assertThat(line("0002-Reading configuration from /etc/bird.conf", 0))
        .isEqualTo(new BirdReply.Line(2, "Reading configuration from /etc/bird.conf", false));
    assertThat(line(" continued", 8002)).isEqualTo(new BirdReply.Line(8002, "continued", false));
    assertThat(BirdReply.parseLine("+0001 async", 0)).isEqualTo(Optional.empty());
  }

  @Test
  void parseLine_notBirdsProtocol_isRejected() {
    assertThatThrownBy(() -> BirdReply.parseLine("HTTP/1.1 200 OK", 0))
        .hasMessage("not a BIRD reply line: 'HTTP/1.1 200 OK'");
    assertThatThrownBy(() -> BirdReply.parseLine("0003", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static List<BirdReply.Line> reply(String... raw) {
    int[] code = {0};
    return java.util.Arrays.stream(raw).map(r -> {
      BirdReply.Line l = line(r, code[0]);
      code[0] = l.code();
      return l;
    }).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "0003 Reconfigured|true",
      "0004 Reconfiguration in progress|true",
      "0005 Reconfiguration already in progress, queueing new config|true",
      "0006 Reconfiguration ignored, shutting down|false",
      "8002 /etc/bird.conf:3:1 syntax error, unexpected CF_SYM_UNDEFINED|false",
      "8007 Access denied|false",
      "9001 Parse error|false",
  })
  void ofConfigure_successOnlyOn0003to0005(String last, boolean ok) {
    List<BirdReply.Line> r = reply("0002-Reading configuration from /x.conf", last);
    assertThat(BirdReply.ofConfigure(r).confirmed()).isEqualTo(ok);
  }

  @Test
  void ofConfigure_error_reportsBirdsText() {
    List<BirdReply.Line> r = reply("0002-Reading configuration from /x.conf",
        "8002 /x.conf:3:1 syntax error");
    assertThat(BirdReply.ofConfigure(r))
        .isEqualTo(new ReconfigureResult.Failed("8002 /x.conf:3:1 syntax error"));
  }

  @Test
  void ofConfigureCheck_confirmedOnlyOn0020() {
    assertThat(BirdReply.ofConfigureCheck(reply("0002-Reading", "0020 Configuration OK")).confirmed()).isTrue();
    assertThat(BirdReply.ofConfigureCheck(reply("0002-Reading", "8002 bad")).confirmed()).isFalse();
  }

  @ParameterizedTest(name = "[{index}] exit {1}: {0}")
  @CsvSource(delimiter = '|', value = {
      "'BIRD 2.0.12 ready.\nReading configuration from /etc/bird/bird.conf\nReconfigured\n'|0|true",
      "'0001 BIRD 2.0.12 ready.\n0002-Reading configuration from /etc/bird.conf\n0003 Reconfigured\n'|0|true",
      "'BIRD 3.0.0 ready.\nReconfiguration in progress\n'|0|true",
      "'BIRD 1.6.8 ready.\nReading configuration from /etc/bird.conf\n/etc/bird.conf:2:1 syntax error\n'|0|false",
      "'Unable to connect to server control socket (/run/bird/bird.ctl): No such file or directory\n'|1|false",
      "''|0|false",
      "'Not Reconfigured\n'|0|false",
  })
  void ofBirdcOutput_successOnlyWhenTheReplySaysSo(String output, int exit, boolean ok) {
    assertThat(BirdReply.ofBirdcOutput(output.replace("\\n", "\n"), exit).confirmed()).isEqualTo(ok);
  }

  @Test
  void ofBirdcOutput_failure_namesExitCodeAndOutput() {
    assertThat(BirdReply.ofBirdcOutput("BIRD 1.6.8 ready.\nbad config\n", 0)).isEqualTo(
        new ReconfigureResult.Failed(
            "exit code 0, no 'Reconfigured' in the reply: BIRD 1.6.8 ready. | bad config"));
  }

  @org.junit.jupiter.api.Test
  void configureStatus_bird3Replies() {
    org.assertj.core.api.Assertions.assertThat(BirdReply.ofConfigureStatus(java.util.List.of(
        new BirdReply.Line(4, "Reconfiguration in progress", false), new BirdReply.Line(0, "", true))))
        .isEqualTo(BirdReply.ConfigureStatus.IN_PROGRESS);
    org.assertj.core.api.Assertions.assertThat(BirdReply.ofConfigureStatus(java.util.List.of(
        new BirdReply.Line(3, "Daemon is up and running", false), new BirdReply.Line(0, "", true))))
        .isEqualTo(BirdReply.ConfigureStatus.DONE);
    org.assertj.core.api.Assertions.assertThat(BirdReply.ofBirdcConfigureStatus(
        "BIRD 3.3.2 ready.\n0003-Daemon is up and running\n")).isEqualTo(BirdReply.ConfigureStatus.DONE);
    org.assertj.core.api.Assertions.assertThat(BirdReply.ofBirdcConfigureStatus(
        "BIRD 3.3.2 ready.\nReconfiguration in progress\n"))
        .isEqualTo(BirdReply.ConfigureStatus.IN_PROGRESS);
    org.assertj.core.api.Assertions.assertThat(BirdReply.ofBirdcConfigureStatus(
        "syntax error\n")).isEqualTo(BirdReply.ConfigureStatus.OTHER);
  }
}
