package net.anycast.healthchecker.cli;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who a drain without {@code -r} is by, as {@code hadown} tells it: {@code $SUDO_USER}, else
 * {@code $SSH_USER}, else the user name. A name listed in {@code /etc/nonhumans} (service
 * accounts, root on shared boxes) is refused, so automation says who it really is. Pure.
 */
final class DrainReason {
  private DrainReason() {}

  /**
   * Returns the reason to write, or throws saying why there is none.
   *
   * @param given the {@code -r} value, if any
   * @param env the environment
   * @param userName the name of the user running the command
   * @param nonhumans the names listed in {@code /etc/nonhumans}
   */
  static String of(Optional<String> given, Map<String, String> env, String userName,
      Set<String> nonhumans) {
    if (given.isPresent()) {
      return given.get();
    }
    String who = firstSet(env.get("SUDO_USER"), env.get("SSH_USER"), userName);
    if (who == null) {
      throw new IllegalArgumentException("cannot tell who you are; use -r REASON");
    }
    if (nonhumans.contains(who)) {
      throw new IllegalArgumentException("'" + who + "' is listed in /etc/nonhumans; use -r"
          + " REASON to tell who you really are and why");
    }
    return who;
  }

  private static String firstSet(String... names) {
    for (String n : names) {
      if (n != null && !n.isBlank()) {
        return n;
      }
    }
    return null;
  }
}
