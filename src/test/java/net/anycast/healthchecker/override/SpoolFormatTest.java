package net.anycast.healthchecker.override;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.anycast.healthchecker.override.SpoolFormat.Parsed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class SpoolFormatTest {
  private static final Instant NOW = Instant.parse("2025-12-02T04:33:20Z"); // 1764650000

  /**
   * File name, content ({@code '} stands for {@code "}, {@code ⏎} for a line end), then what it
   * reads as: {@code drain} or {@code incomplete}, the reason, the expiration and the creation in
   * Unix seconds (empty: none), and whether the drain is active at {@link #NOW}.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      nullValues = "-",
      textBlock =
          """
          svc         | {'reason': 'deploy', 'expiration': 1764650060.5, 'creation': 1764649000.25}⏎ | drain | deploy | 1764650060.5 | 1764649000.25 | true
          svc         | {'reason': 'deploy', 'expiration': null, 'creation': null}                   | drain | deploy | -            | -             | true
          svc         | {'expiration': 1764650060}                                                    | drain | ``     | 1764650060   | -             | true
          svc         | {}                                                                            | drain | ``     | -            | -             | true
          svc         | {'reason': null, 'other': [1]}                                                | incomplete | -  | -            | -             | -
          svc         | {'reason': null, 'other': 'kept out'}                                         | drain | ``     | -            | -             | true
          svc         | {'reason': 42, 'expiration': 'soon', 'creation': true}                        | drain | 42     | -            | -             | true
          svc         | maintenance⏎                                                                  | drain | maintenance | -       | -             | true
          svc         | `two⏎lines⏎⏎`                                                                 | drain | `two⏎lines` | -       | -             | true
          svc         | ``                                                                            | drain | ``     | -            | -             | true
          svc         | ` ⏎\t⏎ `                                                                      | drain | ``     | -            | -             | true
          svc         | {'reason': 'fo                                                                | incomplete | -  | -            | -             | -
          svc         | `  ⏎{'reason': 'x', `                                                         | incomplete | -  | -            | -             | -
          svc         | '{'reason'}' is not JSON                                                      | drain | `'{'reason'}' is not JSON` | - | -       | true
          svc         | {'reason': '\\u00e9t\\u00e9 \\ud83d\\ude00'}                                  | drain | été 😀 | -            | -             | true
          svc         | {'reason': 'été'}                                                             | drain | été    | -            | -             | true
          svc         | {'reason': 'past', 'expiration': 1764649999.999}                              | drain | past   | 1764649999.999 | -           | false
          svc         | {'reason': 'now', 'expiration': 1764650000}                                   | drain | now    | 1764650000   | -             | false
          svc         | {'reason': 'soon', 'expiration': 1764650000.001}                              | drain | soon   | 1764650000.001 | -           | true
          all         | {'reason': 'whole host'}                                                      | drain | whole host | -        | -             | true
          svc:8080    | {'reason': 'port'}                                                            | drain | port   | -            | -             | true
          svc:10.0.0.1:8080 | {'reason': 'host and port'}                                             | drain | host and port | -     | -             | true
          a:b         | {'reason': 'colon in section name'}                                           | drain | colon in section name | - | -         | true
          """)
  void parse(String name, String content, String kind, String reason, String expiration,
      String creation, Boolean active) {
    Parsed parsed = SpoolFormat.parse(name, bytes(content));
    if (kind.equals("incomplete")) {
      assertThat(parsed).isInstanceOf(Parsed.Incomplete.class);
      return;
    }
    Drain drain = ((Parsed.Complete) parsed).drain();
    assertThat(drain.spoolName()).isEqualTo(name);
    assertThat(drain.reason()).isEqualTo(text(reason));
    assertThat(drain.expiration()).isEqualTo(Optional.ofNullable(instant(expiration)));
    assertThat(drain.creation()).isEqualTo(Optional.ofNullable(instant(creation)));
    assertThat(Drains.of(List.of(drain)).activeAt(NOW).byName(name).isPresent())
        .isEqualTo(active);
  }

  @Test
  void parse_bytesThatAreNotUtf8_becomeReplacementCharacters() {
    byte[] latin1 = "caf\u00e9 d\u00e9ploiement\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(SpoolFormat.parse("svc", latin1))
        .isEqualTo(new Parsed.Complete(Drain.of("svc", "caf\ufffd d\ufffdploiement")));
    byte[] json = "{\"reason\": \"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(SpoolFormat.parse("svc", json))
        .isEqualTo(new Parsed.Complete(Drain.of("svc", "\ufffd")));
  }

  @Test
  void parse_byteOrderMark_isSkipped() {
    assertThat(SpoolFormat.parse("svc", bytes("\uFEFF{'reason': 'x'}")))
        .isEqualTo(new Parsed.Complete(Drain.of("svc", "x")));
  }

  @Test
  void parse_incomplete_keepsTextAndProblem() {
    assertThat(SpoolFormat.parse("svc", bytes("{'reason': 'fo")))
        .isEqualTo(new Parsed.Incomplete("{\"reason\": \"fo", "unterminated string at offset 11"));
  }

  @Test
  void render_writesHacheckKeysWithMillisecondsOrMore_andReadsBack() {
    Drain drain = Drain.of("svc:8080", "deploy \"42\" \u00e9")
        .withExpiration(Instant.ofEpochSecond(1764650060))
        .withCreation(Instant.ofEpochSecond(1764649000, 123_456_789));
    String text = new String(SpoolFormat.render(drain), StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("{\"reason\": \"deploy \\\"42\\\" \\u00e9\", "
        + "\"expiration\": 1764650060.000, \"creation\": 1764649000.123456789}\n");
    assertThat(SpoolFormat.parse("svc:8080", SpoolFormat.render(drain)))
        .isEqualTo(new Parsed.Complete(drain));
  }

  @Test
  void render_withoutTimes_writesNulls() {
    assertThat(new String(SpoolFormat.render(Drain.of("all", "")), StandardCharsets.UTF_8))
        .isEqualTo("{\"reason\": \"\", \"expiration\": null, \"creation\": null}\n");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "1764650000.123, 2025-12-02T04:33:20.123Z",
      "1764650000.0000000019, 2025-12-02T04:33:20.000000001Z",
      "-1.5, 1969-12-31T23:59:58.500Z",
      "1e-999999999, 1970-01-01T00:00:00Z",
      "1e999999999, +1000000000-12-31T23:59:59.999999999Z",
      "-1e999999999, -1000000000-01-01T00:00:00Z",
  })
  void instant_isExactAndClamped(String seconds, String instant) {
    assertThat(SpoolFormat.instant(new BigDecimal(seconds))).isEqualTo(Instant.parse(instant));
  }

  private static byte[] bytes(String content) {
    return text(content).getBytes(StandardCharsets.UTF_8);
  }

  private static String text(String cell) {
    return cell == null ? "" : cell.replace('\'', '"').replace("⏎", "\n");
  }

  private static Instant instant(String seconds) {
    return seconds == null ? null : SpoolFormat.instant(new BigDecimal(seconds));
  }
}
