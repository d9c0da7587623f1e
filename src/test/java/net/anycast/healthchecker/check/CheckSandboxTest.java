package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import net.anycast.healthchecker.config.ChecksConfig;
import net.anycast.healthchecker.process.ProcessResult;
import net.anycast.healthchecker.process.ProcessRunner;
import org.junit.jupiter.api.Test;

class CheckSandboxTest {
  private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin",
      "NOTIFY_SOCKET", "/run/systemd/notify", "LANG", "C.UTF-8", "SECRET_TOKEN", "x");
  private static final long BIRD = 108;

  private static CheckSandbox.Facts facts(long uid, Set<Long> groups, boolean canSetIds,
      boolean canSetGroups, Optional<CheckSandbox.UserIds> user) {
    return new CheckSandbox.Facts(ENV, uid, groups, OptionalLong.of(BIRD), canSetIds,
        canSetGroups, user);
  }

  @Test
  void decide_environment_isOnlyThePassThroughList() {
    var d = CheckSandbox.decide(ChecksConfig.DEFAULT,
        facts(999, Set.of(999L), false, false, Optional.empty()));
    assertThat(d.setup().environment())
        .isEqualTo(Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8"));
    assertThat(d.setup().argvPrefix()).isEmpty();
    assertThat(d.warnings()).isEmpty();
  }

  @Test
  void decide_inGroupBird_withCapSetgid_dropsIt() {
    var d = CheckSandbox.decide(ChecksConfig.DEFAULT,
        facts(999, Set.of(999L, BIRD, 4L), false, true, Optional.empty()));
    assertThat(d.setup().argvPrefix())
        .containsExactly("/usr/bin/setpriv", "--groups=4,999", "--inh-caps=-all", "--");
  }

  @Test
  void decide_inGroupBird_withoutCapSetgid_warns() {
    var d = CheckSandbox.decide(ChecksConfig.DEFAULT,
        facts(999, Set.of(999L, BIRD), false, false, Optional.empty()));
    assertThat(d.setup().argvPrefix()).isEmpty();
    assertThat(d.warnings()).singleElement().asString()
        .contains("group bird (gid 108)").contains("check_user").contains("CAP_SETGID");
  }

  @Test
  void decide_checkUser_runsThroughSetpriv_withThatUsersIds() {
    var d = CheckSandbox.decide(new ChecksConfig(List.of("PATH"), "nobody"),
        facts(0, Set.of(0L), true, true,
            Optional.of(new CheckSandbox.UserIds("nobody", 65534, 65534))));
    assertThat(d.setup().argvPrefix()).containsExactly("/usr/bin/setpriv", "--reuid=65534",
        "--regid=65534", "--init-groups", "--inh-caps=-all", "--");
    assertThat(d.setup().environment()).containsOnlyKeys("PATH");
  }

  @Test
  void realCheck_getsNoNotifySocketNorAnythingElseOfTheDaemons() throws Exception {
    var d = CheckSandbox.decide(ChecksConfig.DEFAULT,
        SandboxFacts.observe(ChecksConfig.DEFAULT, new ProcessRunner()));
    ProcessRunner runner = new ProcessRunner().withSetup(d.setup());
    var r = (ProcessResult.Exited) runner.run(List.of("env"), Duration.ofSeconds(30));
    List<String> names = r.stdout().text().lines().map(l -> l.substring(0, l.indexOf('=')))
        .toList();
    assertThat(names).isSubsetOf(ChecksConfig.DEFAULT_PASS_ENV).contains("PATH");
  }

  @Test
  void realCheck_asCheckUser_runsAsThatUser_whenRoot() throws Exception {
    ChecksConfig config = new ChecksConfig(List.of("PATH"), "nobody");
    var facts = SandboxFacts.observe(config, new ProcessRunner());
    org.junit.jupiter.api.Assumptions.assumeTrue(facts.uid() == 0, "needs root");
    var d = CheckSandbox.decide(config, facts);
    assertThat(d.warnings()).isEmpty();
    ProcessRunner runner = new ProcessRunner().withSetup(d.setup());
    var r = (ProcessResult.Exited) runner.run(List.of("id", "-u"), Duration.ofSeconds(30));
    assertThat(r.stdout().text().strip()).isEqualTo(Long.toString(facts.checkUser().get().uid()));
  }
}
