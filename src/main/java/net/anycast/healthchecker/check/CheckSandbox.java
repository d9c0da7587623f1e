package net.anycast.healthchecker.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import net.anycast.healthchecker.config.ChecksConfig;
import net.anycast.healthchecker.process.ChildSetup;

/**
 * What a check gets of the daemon's process: only the variables of {@code check_env_passthrough}
 * (the daemon's {@code NOTIFY_SOCKET} would let any check talk to systemd in its name), and not
 * the group {@code bird}, which the package gives the daemon's user so it can command BIRD — a
 * check that can command BIRD can withdraw every route. With {@code check_user} set, checks run
 * as that user with that user's groups instead.
 *
 * <p>Changing the groups or the user of a child takes {@code CAP_SETGID}/{@code CAP_SETUID};
 * the checks are started through util-linux {@code setpriv} (one more exec) only when something
 * is to change and the daemon can change it. When it cannot, the checks run as before and the
 * daemon says why at start-up. Pure: {@link #decide} takes the facts {@link SandboxFacts} reads.
 */
public final class CheckSandbox {
  static final String SETPRIV = "/usr/bin/setpriv";

  private CheckSandbox() {}

  /**
   * What the daemon's process is.
   *
   * @param environment the daemon's environment
   * @param uid the daemon's real user id
   * @param groups the daemon's supplementary groups
   * @param birdGid the group {@code bird}, when the host has one
   * @param canSetIds the daemon holds CAP_SETUID and CAP_SETGID
   * @param canSetGroups the daemon holds CAP_SETGID
   * @param checkUser {@code check_user}'s uid and gid, when set and found
   */
  public record Facts(Map<String, String> environment, long uid, Set<Long> groups,
      OptionalLong birdGid, boolean canSetIds, boolean canSetGroups, Optional<UserIds> checkUser) {}

  /** A user's ids, as {@code id -u} and {@code id -g} print them. */
  public record UserIds(String name, long uid, long gid) {}

  /** How checks are started, and what to warn about at start-up. */
  public record Decision(ChildSetup setup, List<String> warnings) {}

  /** Returns how to start checks given {@code config} and the daemon's {@code facts}. */
  public static Decision decide(ChecksConfig config, Facts facts) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : config.passEnv()) {
      String value = facts.environment().get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    List<String> warnings = new ArrayList<>();
    List<String> prefix = List.of();
    if (config.user().isPresent()) {
      Optional<UserIds> user = facts.checkUser();
      if (user.isEmpty()) {
        warnings.add("check_user " + config.user().get() + " cannot be looked up; checks run as"
            + " the daemon's user");
      } else if (!facts.canSetIds()) {
        warnings.add("check_user = " + user.get().name() + " needs the daemon to run as root or"
            + " with CAP_SETUID and CAP_SETGID; checks run as the daemon's user");
      } else {
        prefix = List.of(SETPRIV, "--reuid=" + user.get().uid(), "--regid=" + user.get().gid(),
            "--init-groups", "--inh-caps=-all", "--");
      }
    }
    boolean hasBird = facts.birdGid().isPresent()
        && facts.groups().contains(facts.birdGid().getAsLong());
    if (prefix.isEmpty() && hasBird && facts.uid() != 0) {
      if (facts.canSetGroups()) {
        Set<Long> others = facts.groups().stream()
            .filter(g -> g != facts.birdGid().getAsLong()).collect(Collectors.toSet());
        prefix = List.of(SETPRIV, others.isEmpty() ? "--clear-groups" : "--groups="
            + others.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")),
            "--inh-caps=-all", "--");
      } else {
        warnings.add("checks run with the daemon's group bird (gid " + facts.birdGid().getAsLong()
            + ") and so can command BIRD; set check_user, or give the daemon CAP_SETGID"
            + " (systemd: AmbientCapabilities=CAP_SETGID) so it drops the group for them");
      }
    }
    return new Decision(new ChildSetup(env, prefix), List.copyOf(warnings));
  }
}
