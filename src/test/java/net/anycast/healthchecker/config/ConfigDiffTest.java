package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reload's configuration diff as a table: the running files, the files after the operator's
 * edit, and what a reload makes of them — the changes it applies, or the errors that make it
 * change nothing. Both configurations are loaded from real files by the real loader.
 */
class ConfigDiffTest {
  @TempDir Path tmp;

  private static final String DAEMON = """
      [daemon]
      pidfile = {tmp}/run/ahc.pid
      bird_conf = {tmp}/lib/anycast-prefixes.conf
      bird6_conf = {tmp}/lib/6/anycast-prefixes.conf
      loglevel = info
      """;
  private static final String A = """
      [a]
      check_cmd = /bin/true
      check_disabled = false
      ip_prefix = 10.0.0.1/32
      """;
  private static final String B = """
      [b]
      check_cmd = /bin/true
      check_disabled = false
      ip_prefix = 10.0.0.2/32
      """;

  @BeforeEach
  void layout() throws IOException {
    Files.createDirectories(tmp.resolve("run"));
    Files.createDirectories(tmp.resolve("lib/6"));
  }

  private static final String WEB = """
      [web]
      check_disabled = false
      check_http_url = http://127.0.0.1:8080/health
      check_http_body_regex = ^ok
      check_tcp_address = 127.0.0.1:8080
      check_tcp_send = PING
      check_mode = all
      ip_prefix = 10.0.0.5/32
      """;

  static Stream<Arguments> table() {
    String s = "{tmp}/checks/svc.conf: ";
    return Stream.of(
        row("unchanged built-in checks (a body regex, bytes to send)", WEB + B, WEB + B),
        row("changed http check", WEB + B, WEB.replace("/health", "/ready") + B,
            "changed check of web (check_http_*); health kept until the new check decides"),
        row("changed tcp check and mode", WEB + B,
            WEB.replace("PING", "PONG").replace("check_mode = all", "check_mode = any") + B,
            "changed check of web (check_tcp_*, check_mode); health kept until the new check"
                + " decides"),
        row("unchanged", A + B, A + B),
        row("unchanged: order and comments do not count", A + B, "# moved\n" + B + A),
        row("changed check", A + B, A.replace("/bin/true", "/bin/true --quiet") + B,
            "changed check of a (check_cmd); health kept until the new check decides"),
        row("changed interval", A + B, A + "check_interval = 5\n" + B,
            "changed check of a (check_interval); health kept until the new check decides"),
        row("changed prefixes", A + B, A.replace("10.0.0.1/32", "10.0.0.1/32, 10.0.0.9/32") + B,
            "changed ip_prefix of a"),
        row("changed prefixes and check", A + B,
            A.replace("10.0.0.1/32", "10.0.0.3/32") + "check_rise = 3\n" + B,
            "changed check of a (check_rise, ip_prefix); health kept until the new check"
                + " decides"),
        row("changed drain policy", A + B, A + "on_drain = keep\n" + B,
            "changed on_drain of a"),
        row("removed", A + B, B, "removed a"),
        row("added", A, A + B, "added b"),
        row("renamed", A + B, A.replace("[a]", "[a2]") + B, "renamed a to a2"),
        row("renamed and changed is removed plus added", A + B,
            A.replace("[a]", "[a2]").replace("/bin/true", "/bin/false") + B,
            "added a2", "removed a"),
        row("invalid: every error, nothing applied", A + B,
            A.replace("/bin/true", "/nonexistent/check") + B + "check_rise = two\n",
            "error: " + s + "[a] check_cmd = '/nonexistent/check': program /nonexistent/check"
                + " doesn't exist",
            "error: " + s + "[b] check_rise = 'two': not an integer; expected a whole number"
                + " from 1 to 1000000"),
        Arguments.of("invalid for the running daemon: a family it does not serve",
            DAEMON, A + B, DAEMON + "ipv6 = true\n", A + B.replace("10.0.0.2/32",
                "2001:db8:5::1/128"), List.of("conflict: " + s + "[b] ip_prefix ="
                + " '2001:db8:5::1/128': is an IPv6 prefix, but the running daemon does not"
                + " serve IPv6; switching ipv6 on needs a restart first")));
  }

  private static Arguments row(String name, String running, String next, String... outcome) {
    return Arguments.of(name, DAEMON, running, DAEMON, next, List.of(outcome));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void reload(String name, String runningDaemon, String running, String nextDaemon, String next,
      List<String> outcome) throws Exception {
    assertThat(outcome(runningDaemon, running, nextDaemon, next))
        .isEqualTo(outcome.stream().map(l -> l.replace("{tmp}", tmp.toString())).toList());
  }

  @Test
  void daemonSettings_runtimeOnesApply_othersNeedARestartAndKeepTheirValue() throws Exception {
    LoadedConfig running = load(DAEMON, A);
    Files.createDirectories(tmp.resolve("lib2"));
    String edited = DAEMON.replace("loglevel = info", "loglevel = warning")
        .replace("ahc.pid", "other.pid").replace("lib/anycast", "lib2/anycast")
        + "on_shutdown = withdraw\nshutdown_grace = 3\nbird_socket = /run/bird/bird.ctl\n";
    ConfigDiff diff = ConfigDiff.between(running.configuration(), load(edited, A));

    assertThat(diff.changes()).containsExactly(
        "changed [daemon] bird_socket from (unset) to '/run/bird/bird.ctl'",
        "changed [daemon] loglevel from 'info' to 'warning'",
        "changed [daemon] on_shutdown from 'keep' to 'withdraw'",
        "changed [daemon] shutdown_grace from '0' to '3'");
    assertThat(diff.needsRestart()).extracting(RestartNotice::toString).containsExactly(
        tmp.resolve("daemon.conf") + ": [daemon] bird_conf = '" + tmp + "/lib2/anycast-prefixes"
            + ".conf': needs a restart; the running daemon keeps '" + tmp
            + "/lib/anycast-prefixes.conf'",
        tmp.resolve("daemon.conf") + ": [daemon] pidfile = '" + tmp + "/run/other.pid': needs a"
            + " restart; the running daemon keeps '" + tmp + "/run/ahc.pid'");
    DaemonConfig applied = diff.applied().daemon();
    assertThat(applied.pidfile()).isEqualTo(tmp.resolve("run/ahc.pid"));
    assertThat(applied.bird4().conf()).isEqualTo(tmp.resolve("lib/anycast-prefixes.conf"));
    assertThat(applied.bird4().socket()).isEqualTo(Path.of("/run/bird/bird.ctl"));
    assertThat(applied.log().level()).isEqualTo("warning");
    assertThat(applied.shutdown()).isEqualTo(
        new ShutdownConfig(OnShutdown.WITHDRAW, Duration.ofSeconds(3)));
    assertThat(diff.summary())
        .isEqualTo("services: 1 unchanged; 4 daemon settings changed; 2 settings need a restart");
    assertThat(diff.empty()).isFalse();
  }

  @Test
  void sameFiles_emptyDiff_appliedIsTheRunningConfiguration() throws Exception {
    LoadedConfig running = load(DAEMON, A + B);
    ConfigDiff diff = ConfigDiff.between(running.configuration(), load(DAEMON, A + B));
    assertThat(diff.empty()).isTrue();
    assertThat(diff.applied()).isEqualTo(running.configuration());
    assertThat(diff.summary()).isEqualTo("services: 2 unchanged");
  }

  @Test
  void everyServiceSettingIsClassified() {
    // A new ServiceConfig component must say whether it is part of the check. All but the name
    // are keys, but the checks, which are five: check_cmd, each built-in kind, check_mode.
    assertThat(ServiceChange.KEYS)
        .hasSize(ServiceConfig.class.getRecordComponents().length - 1 - 1 + 5);
  }

  @Test
  void everyDaemonKeyIsClassified() {
    List<String> classified =
        DaemonSettings.ALL.stream().map(DaemonSettings.Setting::key).toList();
    assertThat(classified).containsAll(KnownKeys.DAEMON).doesNotHaveDuplicates();
  }

  /**
   * Returns what a reload makes of the edit: {@code error: …} lines when the new files do not
   * load, {@code conflict: …} lines when the running daemon cannot take them, else the changes.
   */
  private List<String> outcome(String daemon, String services, String nextDaemon,
      String nextServices) throws Exception {
    LoadedConfig running = load(daemon, services);
    LoadedConfig next;
    try {
      next = load(nextDaemon, nextServices);
    } catch (ConfigException e) {
      return e.errors().stream().map(err -> "error: " + err).toList();
    }
    ConfigDiff diff = ConfigDiff.between(running.configuration(), next);
    if (!diff.conflicts().isEmpty()) {
      return diff.conflicts().stream().map(c -> "conflict: " + c).toList();
    }
    List<String> out = new ArrayList<>(diff.changes());
    diff.needsRestart().forEach(n -> out.add("restart: " + n));
    return out;
  }

  private LoadedConfig load(String daemon, String services) throws Exception {
    Path daemonFile = tmp.resolve("daemon.conf");
    Path dir = Files.createDirectories(tmp.resolve("checks"));
    Files.writeString(daemonFile, daemon.replace("{tmp}", tmp.toString()));
    Files.writeString(dir.resolve("svc.conf"), services);
    return new ConfigLoader("/usr/bin:/bin").load(daemonFile, dir, null);
  }
}
