package net.anycast.healthchecker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrainReasonTest {
  @Test
  void given_wins() {
    assertThat(DrainReason.of(Optional.of("kernel upgrade"), Map.of("SUDO_USER", "alice"), "root",
        Set.of("root"))).isEqualTo("kernel upgrade");
  }

  @Test
  void default_sudoUser_thenSshUser_thenUserName() {
    assertThat(DrainReason.of(Optional.empty(), Map.of("SUDO_USER", "alice", "SSH_USER", "bob"),
        "root", Set.of())).isEqualTo("alice");
    assertThat(DrainReason.of(Optional.empty(), Map.of("SSH_USER", "bob"), "root", Set.of()))
        .isEqualTo("bob");
    assertThat(DrainReason.of(Optional.empty(), Map.of(), "carol", Set.of())).isEqualTo("carol");
  }

  @Test
  void nonhuman_isRefused_unlessAReasonIsGiven() {
    assertThatThrownBy(() -> DrainReason.of(Optional.empty(), Map.of(), "deploy", Set.of("deploy")))
        .hasMessage("'deploy' is listed in /etc/nonhumans; use -r REASON to tell who you really"
            + " are and why");
  }
}
