package net.anycast.healthchecker.bird;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * Whether a change of the prefix file is told to BIRD by services' own
 * {@code custom_bird_reconfigure_cmd} rather than by reconfiguring the family: so when every
 * prefix added or removed belongs to a service that has one (the original's behaviour). Pure.
 *
 * @param owner the service of each configured prefix
 * @param withCustom the services that have a custom reconfigure command, by name
 */
record CustomCoverage(Map<IpPrefix, ServiceConfig> owner, Map<String, ServiceConfig> withCustom) {

  /** Returns true when no reconfigure is needed because custom commands cover the change. */
  boolean covers(Optional<String> before, PrefixFile wanted) {
    if (before.isEmpty() || withCustom.isEmpty()) {
      return false;
    }
    PrefixFile.Parsed old = PrefixFile.parse(before.get());
    if (!old.variable().equals(Optional.of(wanted.variable()))) {
      return false;
    }
    Set<IpPrefix> now = new TreeSet<>(wanted.prefixes());
    now.add(wanted.dummy());
    Set<IpPrefix> changed = new TreeSet<>(now);
    changed.addAll(old.prefixes());
    changed.removeIf(p -> now.contains(p) && old.prefixes().contains(p));
    return !changed.isEmpty() && changed.stream().allMatch(
        p -> owner.containsKey(p) && withCustom.containsKey(owner.get(p).name()));
  }
}
