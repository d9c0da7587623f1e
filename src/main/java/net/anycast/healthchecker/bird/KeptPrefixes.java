package net.anycast.healthchecker.bird;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * What one family's prefix file keeps for services that have not decided yet (UNKNOWN), so that
 * neither a restart nor a reload flaps a route. Pure.
 *
 * <p>At start-up a service keeps those of its prefixes the file had. A service a reload adds
 * keeps those of its prefixes that are announced at that moment — none of a brand-new prefix, so
 * it is announced only after the service rises; all of a renamed service's, so a rename moves
 * nothing. It never inherits the start-up file: a prefix withdrawn since would come back.
 *
 * @param ofServices prefixes kept for the configured services while they are UNKNOWN
 * @param orphans prefixes of no service found at start-up, kept while every service of the
 *     family is UNKNOWN (unless {@code purge_ip_prefixes}); one a reload gives to a service is
 *     no orphan any more
 */
record KeptPrefixes(Set<IpPrefix> ofServices, Set<IpPrefix> orphans) {
  KeptPrefixes {
    ofServices = Set.copyOf(ofServices);
    orphans = Set.copyOf(orphans);
  }

  /** Returns what the file found at start-up keeps, given the services configured then. */
  static KeptPrefixes atStartup(Set<IpPrefix> inFile, List<ServiceConfig> services) {
    Set<IpPrefix> owned = owned(services);
    Set<IpPrefix> mine = new TreeSet<>(inFile);
    mine.retainAll(owned);
    Set<IpPrefix> orphans = new TreeSet<>(inFile);
    orphans.removeAll(owned);
    return new KeptPrefixes(mine, orphans);
  }

  /**
   * Returns what is kept after a reload from {@code before} to {@code after}: a service that
   * stays (same name) keeps what it kept, a new one what is {@code announcedNow}.
   */
  KeptPrefixes afterReload(List<ServiceConfig> before, List<ServiceConfig> after,
      Set<IpPrefix> announcedNow) {
    Set<String> existed = before.stream().map(ServiceConfig::name).collect(Collectors.toSet());
    Set<IpPrefix> mine = new TreeSet<>();
    for (ServiceConfig s : after) {
      Set<IpPrefix> source = existed.contains(s.name()) ? ofServices : announcedNow;
      s.prefixes().stream().filter(source::contains).forEach(mine::add);
    }
    Set<IpPrefix> left = new TreeSet<>(orphans);
    left.removeAll(owned(after));
    return new KeptPrefixes(mine, left);
  }

  private static Set<IpPrefix> owned(List<ServiceConfig> services) {
    return services.stream().flatMap(s -> s.prefixes().stream()).collect(Collectors.toSet());
  }
}
