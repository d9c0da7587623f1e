package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code fleet_min_announcers}: what it accepts and the floor it gives. */
class MinAnnouncersTest {

  /** Text, then what it reads as ({@link MinAnnouncers#toString}). */
  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      0          | 0
      1          | 1
      3          | 3
      007        | 7
      999999     | 999999
      " 2 "      | 2
      30%        | 30%
      0%         | 0%
      100%       | 100%
      12.5%      | 12.5%
      33.3333%   | 33.3333%
      50.0%      | 50%
      100.0%     | 100%
      "30 %"     | 30%
      " 30% "    | 30%
      "\t40%\t"  | 40%
      """)
  void parse_accepts(String text, String read) {
    String unescaped = text.replace("\\t", "\t");

    assertThat(MinAnnouncers.parse(unescaped)).map(MinAnnouncers::toString).contains(read);
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @ValueSource(strings = {"", " ", "-1", "-5%", "100.01%", "101%", "1000%", "two", "2 nodes",
      "30%%", "%", "%30", "30 percent", "1.5", "1,5%", "12.34567%", "1234567", "+1", "0x10",
      "3 0%"})
  void parse_refuses(String text) {
    assertThat(MinAnnouncers.parse(text)).isEmpty();
  }

  /** Value, registered nodes (this one included), floor. */
  @ParameterizedTest(name = "{0} of {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      30%   | 3  | 1
      30%   | 10 | 3
      30%   | 11 | 4
      50%   | 4  | 2
      50%   | 5  | 3
      0%    | 5  | 0
      0%    | 0  | 0
      100%  | 5  | 5
      100%  | 1  | 1
      12.5% | 8  | 1
      12.5% | 9  | 2
      66.7% | 3  | 3
      66.6% | 3  | 2
      1%    | 1  | 1
      2     | 1  | 2
      2     | 50 | 2
      0     | 7  | 0
      """)
  void floor_percentRoundsUp_countIsFixed(String value, int registered, int floor) {
    assertThat(MinAnnouncers.parse(value).orElseThrow().floor(registered)).isEqualTo(floor);
  }

  @Test
  void default_isOneOtherNode() {
    assertThat(MinAnnouncers.DEFAULT.floor(100)).isEqualTo(1);
    assertThat(MinAnnouncers.DEFAULT).hasToString("1");
  }

  @Test
  void equality_ignoresTheScaleOfAPercentage() {
    MinAnnouncers a = MinAnnouncers.parse("50%").orElseThrow();
    MinAnnouncers b = MinAnnouncers.parse("50.00%").orElseThrow();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(MinAnnouncers.parse("50").orElseThrow());
  }

  @Test
  void constructor_refusesOutOfRange() {
    assertThatThrownBy(() -> new MinAnnouncers(-1, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MinAnnouncers(0, new BigDecimal("100.5")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MinAnnouncers(0, new BigDecimal("-0.1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
