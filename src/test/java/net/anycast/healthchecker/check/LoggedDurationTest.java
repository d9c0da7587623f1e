package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoggedDurationTest {
  @Test
  void toString_isPercentPoint3f_ofMillisAndSeconds() {
    SplittableRandom random = new SplittableRandom(12);
    long[] fixed = {0, 1, 499, 500, 999, 1_000, 1_234_500, 1_234_499, 999_999_500, 5_000_000_000L,
        -1, -500, -1_234_500};
    for (long n : fixed) {
      assertSame(n);
    }
    for (int i = 0; i < 100_000; i++) {
      long bound = i % 2 == 0 ? 10_000_000_000L : 1_000_000_000_000_000L;
      assertSame(random.nextLong(0, bound));
    }
  }

  private static void assertSame(long nanos) {
    Duration d = Duration.ofNanos(nanos);
    assertThat(LoggedDuration.millis(d).toString())
        .isEqualTo(String.format(Locale.ROOT, "%.3f", nanos / 1e6));
    assertThat(LoggedDuration.seconds(d).toString())
        .isEqualTo(String.format(Locale.ROOT, "%.3f", nanos / 1e9));
  }
}
