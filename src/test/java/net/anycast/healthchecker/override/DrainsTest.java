package net.anycast.healthchecker.override;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class DrainsTest {
  private static final Instant T = Instant.parse("2025-12-02T04:33:20Z");

  private static Drains files(String... names) {
    return Drains.of(Arrays.stream(names).map(n -> Drain.of(n, "reason of " + n)).toList());
  }

  /** Spool files present, the service asked about, and the file whose drain applies (- none). */
  @ParameterizedTest(name = "[{0}] {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''                           | svc   | -
          svc                          | svc   | svc
          all svc                      | svc   | all
          all                          | other | all
          svc:8080 svc                 | svc   | svc
          svc:9090 svc:8080            | svc   | svc:8080
          svc:10.0.0.1:80              | svc   | svc:10.0.0.1:80
          svc:::1:80                   | svc   | svc:::1:80
          svc2 svc-x svcx:80           | svc   | -
          svc:abc                      | svc   | -
          svc:80:abc                   | svc   | -
          svc:                         | svc   | -
          a:b                          | a     | -
          a:b                          | a:b   | a:b
          a:b:8080                     | a:b   | a:b:8080
          a:b:8080                     | a     | a:b:8080
          a:8080                       | a:b   | -
          """)
  void forService_looksUpAllThenServiceThenPorts(String present, String service, String expected) {
    Drains drains = files(present.isBlank() ? new String[0] : present.split(" "));
    assertThat(drains.forService(service).map(Drain::spoolName).orElse("-")).isEqualTo(expected);
  }

  @Test
  void activeAt_expirationEqualToNow_hasEnded() {
    Drain until = Drain.of("svc", "x").withExpiration(T);
    Drains drains = Drains.of(List.of(until, Drain.of("other", "forever")));
    assertThat(drains.activeAt(T.minusMillis(1)).all()).containsKeys("svc", "other");
    assertThat(drains.activeAt(T).all()).containsOnlyKeys("other");
    assertThat(drains.activeAt(T.plusSeconds(1)).all()).containsOnlyKeys("other");
    assertThat(drains.activeAt(T.minusMillis(1))).isSameAs(drains);
  }

  @Test
  void nextExpiry_isTheEarliest() {
    assertThat(Drains.none().nextExpiry()).isEmpty();
    assertThat(files("a").nextExpiry()).isEmpty();
    Drains drains = Drains.of(List.of(Drain.of("a", "").withExpiration(T.plusSeconds(9)),
        Drain.of("b", ""), Drain.of("c", "").withExpiration(T.plusSeconds(3))));
    assertThat(drains.nextExpiry()).contains(T.plusSeconds(3));
  }

  @Test
  void equality_isByContent_andAllIsSortedByName() {
    Drains one = files("b", "all", "a");
    assertThat(one).isEqualTo(files("a", "b", "all")).hasSameHashCodeAs(files("all", "b", "a"));
    assertThat(one).isNotEqualTo(files("a", "b"));
    assertThat(one.all().keySet()).containsExactly("a", "all", "b");
    assertThat(Drains.of(List.of())).isSameAs(Drains.none());
    assertThat(Drain.of("a", "x").withCreation(T)).isNotEqualTo(Drain.of("a", "x"));
  }

  @Test
  void of_twoDrainsOfOneFile_isRejected() {
    assertThatThrownBy(() -> Drains.of(List.of(Drain.of("a", "1"), Drain.of("a", "2"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two drains of spool file a");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''       | a spool name must not be empty
          a/b      | a spool name must not contain '/': a/b
          .        | a spool name must not start with '.' (hidden files are not read): .
          ..       | a spool name must not start with '.' (hidden files are not read): ..
          .hidden  | a spool name must not start with '.' (hidden files are not read): .hidden
          """)
  void requireValid_rejectsNamesThatAreNoSpoolFile(String name, String message) {
    assertThatThrownBy(() -> SpoolNames.requireValid(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> Drain.of(name, "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requireValid_rejectsNul() {
    assertThatThrownBy(() -> SpoolNames.requireValid("a\0b"))
        .hasMessage("a spool name must not contain NUL: a\0b");
  }

  @Test
  void nameFor_spellsHacheckNames() {
    assertThat(SpoolNames.nameFor("svc")).isEqualTo("svc");
    assertThat(SpoolNames.nameFor("svc", OptionalInt.empty())).isEqualTo("svc");
    assertThat(SpoolNames.nameFor("svc", OptionalInt.of(8080))).isEqualTo("svc:8080");
    assertThat(SpoolNames.nameFor("svc", "127.0.0.1", 8080)).isEqualTo("svc:8080");
    assertThat(SpoolNames.nameFor("svc", "10.0.0.1", 8080)).isEqualTo("svc:10.0.0.1:8080");
    assertThatThrownBy(() -> SpoolNames.nameFor("svc", OptionalInt.of(0)))
        .hasMessage("port must be 1 to 65535, not 0");
    assertThatThrownBy(() -> SpoolNames.nameFor("svc", "a/b", 80))
        .hasMessage("host must be non-empty, without '/' or NUL: a/b");
    assertThatThrownBy(() -> SpoolNames.nameFor("../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
