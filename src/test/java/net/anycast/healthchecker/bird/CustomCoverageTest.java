package net.anycast.healthchecker.bird;

import static net.anycast.healthchecker.bird.TestServices.p;
import static net.anycast.healthchecker.bird.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.anycast.healthchecker.config.OnDisabled;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Test;

/** When services' own reconfigure commands, not a family reconfigure, tell BIRD of a change. */
class CustomCoverageTest {
  private static final IpPrefix DUMMY = p("10.189.200.255/32");
  private static final ServiceConfig CUSTOM =
      service("custom", OnDisabled.WITHDRAW, "/bin/true", "10.0.0.1/32");
  private static final ServiceConfig PLAIN = service("plain", "10.0.0.2/32");
  private final CustomCoverage coverage = coverage(CUSTOM, PLAIN);

  @Test
  void onlyPrefixesOfServicesWithACustomCommandChanged_covered() {
    assertThat(coverage.covers(file("V", "10.0.0.2/32"), wanted("V", "10.0.0.1/32", "10.0.0.2/32")))
        .isTrue();
  }

  @Test
  void aPrefixOfAServiceWithoutOneChanged_notCovered() {
    assertThat(coverage.covers(file("V", "10.0.0.1/32"), wanted("V", "10.0.0.1/32", "10.0.0.2/32")))
        .isFalse();
  }

  @Test
  void nothingChanged_notCovered() {
    assertThat(coverage.covers(file("V", "10.0.0.1/32"), wanted("V", "10.0.0.1/32"))).isFalse();
  }

  @Test
  void aPrefixOfNoServiceRemoved_notCovered() {
    assertThat(coverage.covers(file("V", "10.0.0.1/32", "10.9.9.9/32"), wanted("V", "10.0.0.1/32")))
        .isFalse();
  }

  @Test
  void noFileBefore_orAnotherVariable_notCovered() {
    assertThat(coverage.covers(Optional.empty(), wanted("V", "10.0.0.1/32"))).isFalse();
    assertThat(coverage.covers(file("OTHER"), wanted("V", "10.0.0.1/32"))).isFalse();
  }

  @Test
  void noServiceHasACustomCommand_neverCovered() {
    assertThat(coverage(PLAIN).covers(file("V"), wanted("V", "10.0.0.2/32"))).isFalse();
  }

  private static CustomCoverage coverage(ServiceConfig... services) {
    Map<IpPrefix, ServiceConfig> owner = new HashMap<>();
    Map<String, ServiceConfig> withCustom = new HashMap<>();
    for (ServiceConfig s : services) {
      s.prefixes().forEach(x -> owner.put(x, s));
      s.customReconfigureCommand().ifPresent(c -> withCustom.put(s.name(), s));
    }
    return new CustomCoverage(owner, withCustom);
  }

  private static PrefixFile wanted(String variable, String... prefixes) {
    return PrefixFile.of(variable, DUMMY, List.of(prefixes).stream().map(IpPrefix::parse).toList());
  }

  private static Optional<String> file(String variable, String... prefixes) {
    return Optional.of(wanted(variable, prefixes).render(LocalDateTime.of(2026, 1, 1, 0, 0), 1));
  }
}
