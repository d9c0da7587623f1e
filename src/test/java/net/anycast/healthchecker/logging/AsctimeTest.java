package net.anycast.healthchecker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AsctimeTest {
  /** Around 2026-03-29 01:00 UTC, when Europe/Amsterdam moves from +01:00 to +02:00. */
  private static final long DST_CHANGE = 1_774_746_000_000L;

  @ParameterizedTest
  @ValueSource(strings = {"UTC", "Europe/Amsterdam", "America/St_Johns", "Asia/Kolkata"})
  void format_isWhatTheFormatterSays_forEveryMillisecond_acrossAZoneChange(String zone) {
    ZoneId id = ZoneId.of(zone);
    Asctime asctime = new Asctime(id);
    SplittableRandom random = new SplittableRandom(12);
    long at = DST_CHANGE - 5_000;
    for (int i = 0; i < 20_000; i++) {
      at += random.nextInt(0, 3); // mostly the same second, every millisecond value seen
      assertThat(asctime.format(at)).isEqualTo(LineFormat.asctime(at, id));
    }
    for (int i = 0; i < 1_000; i++) {
      long any = random.nextLong(-10_000_000_000L, 4_000_000_000_000L);
      assertThat(asctime.format(any)).isEqualTo(LineFormat.asctime(any, id));
    }
  }
}
