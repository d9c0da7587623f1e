package net.anycast.healthchecker.override;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpiryTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  @ParameterizedTest
  @CsvSource({
      "90s, 2026-12-02T10:01:30Z",
      "30m, 2026-12-02T10:30:00Z",
      "2h, 2026-12-02T12:00:00Z",
      "1d, 2026-12-03T10:00:00Z",
      "1h30m, 2026-12-02T11:30:00Z",
      "1d2h3m4s, 2026-12-03T12:03:04Z",
      "1796220740, 2026-12-02T14:12:20Z",
      "1796220740.5, 2026-12-02T14:12:20.500Z"})
  void parse_durationOrUnixTime(String text, String expected) {
    assertThat(Expiry.parse(text, NOW)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      5          | a bare number is a Unix time and this one lies in the past; for a duration add a unit (5s, 5m)
      0s         | a drain of no time
      1500000000 | is in the past
      soon       | not understood; expected a duration such as 90s
      10x        | not understood
      -5m        | not understood
      999999999999d | too far away; expected a duration
      99999999999999999999d | too far away; expected a duration
      9999999999999999h | too far away; expected a duration
      18446744073709552 | too far away; expected a duration
      99999999999999999999 | too far away; expected a duration
      """)
  void parse_refusesWhatIsNotAnExpiry(String text, String message) {
    assertThatThrownBy(() -> Expiry.parse(text, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }
}
