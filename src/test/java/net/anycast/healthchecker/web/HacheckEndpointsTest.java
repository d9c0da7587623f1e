package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.Test;

/** hacheck's lookup order and 503 text (reference/hacheck-spool.md). */
class HacheckEndpointsTest {
  private static final Drain ALL = Drain.of("all", "everything");
  private static final Drain WEB = Drain.of("web", "web only");
  private static final Drain WEB_80 = Drain.of("web:80", "port 80");

  private static Drains of(Drain... drains) {
    return Drains.of(List.of(drains));
  }

  @Test
  void noDrain_isUp() {
    assertThat(HacheckEndpoints.downBy(Drains.none(), "web", 80)).isEmpty();
  }

  @Test
  void all_winsOverTheServiceAndItsPort() {
    assertThat(HacheckEndpoints.downBy(of(ALL, WEB, WEB_80), "web", 80)).contains(ALL);
  }

  @Test
  void theService_winsOverItsPort() {
    assertThat(HacheckEndpoints.downBy(of(WEB, WEB_80), "web", 80)).contains(WEB);
  }

  @Test
  void thePort_isLookedAtLast() {
    assertThat(HacheckEndpoints.downBy(of(WEB_80), "web", 80)).contains(WEB_80);
  }

  @Test
  void anotherPort_doesNotApply() {
    assertThat(HacheckEndpoints.downBy(of(WEB_80), "web", 443)).isEmpty();
  }

  @Test
  void portZero_meansTheWholeService_andLooksAtNoPortFile() {
    assertThat(HacheckEndpoints.downBy(of(WEB_80), "web", 0)).isEmpty();
    assertThat(HacheckEndpoints.downBy(of(WEB), "web", 0)).contains(WEB);
  }

  @Test
  void anotherService_doesNotApply() {
    assertThat(HacheckEndpoints.downBy(of(WEB, WEB_80), "dns", 80)).isEmpty();
  }

  @Test
  void aServiceWhosePrefixMatches_doesNotApply() {
    assertThat(HacheckEndpoints.downBy(of(WEB), "webmail", 80)).isEmpty();
  }

  @Test
  void downText_withEverything() {
    Drain d = Drain.of("web", "alice: upgrade")
        .withCreation(Instant.ofEpochMilli(1_767_225_600_250L))
        .withExpiration(Instant.ofEpochSecond(1_767_229_200L));

    assertThat(HacheckEndpoints.downText(d)).isEqualTo("Service web in down state"
        + " since 1767225600.250000 until 1767229200.000000: alice: upgrade");
  }

  @Test
  void downText_namesTheMatchedFile_whichMayBeAll() {
    assertThat(HacheckEndpoints.downText(ALL)).isEqualTo("Service all in down state: everything");
    assertThat(HacheckEndpoints.downText(WEB_80)).isEqualTo("Service web:80 in down state: port 80");
  }

  @Test
  void downText_withoutReason_hasNoColon() {
    assertThat(HacheckEndpoints.downText(Drain.of("web", ""))).isEqualTo("Service web in down state");
  }

  @Test
  void downText_withOnlyAnExpiry() {
    Drain d = Drain.of("web", "").withExpiration(Instant.ofEpochSecond(1_767_229_200L));

    assertThat(HacheckEndpoints.downText(d))
        .isEqualTo("Service web in down state until 1767229200.000000");
  }

  @Test
  void downText_withOnlyACreation() {
    Drain d = Drain.of("web", "x").withCreation(Instant.ofEpochSecond(1_767_225_600L));

    assertThat(HacheckEndpoints.downText(d))
        .isEqualTo("Service web in down state since 1767225600.000000: x");
  }
}
