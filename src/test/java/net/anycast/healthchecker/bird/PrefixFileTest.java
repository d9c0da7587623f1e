package net.anycast.healthchecker.bird;

import static net.anycast.healthchecker.bird.TestServices.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrefixFileTest {
  private static final LocalDateTime AT = LocalDateTime.of(2026, 11, 22, 10, 0, 0, 123_456_000);

  @Test
  void render_putsDummyFirstThenSortedPrefixes() {
    PrefixFile f = PrefixFile.of("ACAST_PS_ADVERTISE", p("10.189.200.255/32"),
        List.of(p("10.52.12.1/32"), p("10.1.0.0/24"), p("10.52.12.1/32")));
    assertThat(f.render(AT, 4242)).isEqualTo("""
        # Generated 2026-11-22 10:00:00.123456 by anycast-healthchecker (pid=4242)
        # 10.189.200.255/32 is a dummy IP Prefix. It should NOT be used and REMOVED from the constant.
        define ACAST_PS_ADVERTISE =
            [
                10.189.200.255/32,
                10.1.0.0/24,
                10.52.12.1/32
            ];
        """);
  }

  @Test
  void render_onlyDummy_hasNoTrailingComma() {
    PrefixFile f = PrefixFile.of("ACAST6_PS_ADVERTISE", p("2001:db8::1/128"), List.of());
    assertThat(f.content()).endsWith("""
        define ACAST6_PS_ADVERTISE =
            [
                2001:db8::1/128
            ];
        """);
  }

  @Test
  void of_dummyAmongPrefixes_isNotDuplicated() {
    PrefixFile f = PrefixFile.of("V", p("10.0.0.1"), List.of(p("10.0.0.1"), p("10.0.0.2")));
    assertThat(f.prefixes()).containsExactly(p("10.0.0.2/32"));
  }

  @Test
  void of_otherFamily_isRejected() {
    assertThatThrownBy(() -> PrefixFile.of("V", p("10.0.0.1"), List.of(p("2001:db8::5"))))
        .hasMessageContaining("2001:db8::5/128 is not IPv4");
  }

  @Test
  void of_badVariable_isRejected() {
    assertThatThrownBy(() -> PrefixFile.of("A B", p("10.0.0.1"), List.of()))
        .hasMessage("'A B' is not a BIRD symbol name");
  }

  @Test
  void parse_readsRenderedFileBack() {
    PrefixFile f = PrefixFile.of("ACAST_PS_ADVERTISE", p("10.189.200.255/32"),
        List.of(p("10.52.12.1/32"), p("10.1.0.0/24")));
    PrefixFile.Parsed parsed = PrefixFile.parse(f.render(AT, 1));
    assertThat(parsed.variable()).contains("ACAST_PS_ADVERTISE");
    assertThat(parsed.prefixes())
        .containsExactly(p("10.189.200.255/32"), p("10.1.0.0/24"), p("10.52.12.1/32"));
  }

  @Test
  void parse_likeTheOriginal_countsLinesThatAreAPrefixAfterStrippingSpacesAndCommas() {
    String text = """
        define OTHER_NAME =
        [ 10.0.0.1/32,
            10.0.0.2/32,,
          10.0.0.3
            10.0.0.4/32 # comment
            bogus,
            10.0.0.5/33,
        ];
        """;
    PrefixFile.Parsed parsed = PrefixFile.parse(text);
    assertThat(parsed.variable()).contains("OTHER_NAME");
    assertThat(parsed.prefixes()).containsExactly(p("10.0.0.2/32"), p("10.0.0.3/32"));
  }

  @Test
  void parse_noDefine_hasNoVariable() {
    assertThat(PrefixFile.parse("10.0.0.1/32\n").variable()).isEqualTo(Optional.empty());
  }

  @Test
  void sameContent_ignoresOnlyTheGeneratedLine() {
    PrefixFile f = PrefixFile.of("V", p("10.0.0.1"), List.of(p("10.0.0.2")));
    PrefixFile g = PrefixFile.of("V", p("10.0.0.1"), List.of(p("10.0.0.3")));
    assertThat(PrefixFile.sameContent(f.render(AT, 1), f.render(AT.plusDays(1), 2))).isTrue();
    assertThat(PrefixFile.sameContent(f.render(AT, 1), f.content())).isTrue();
    assertThat(PrefixFile.sameContent(f.render(AT, 1), g.content())).isFalse();
    assertThat(PrefixFile.sameContent(f.content().replace("    [", "  ["), f.content())).isFalse();
  }
}
