package net.anycast.healthchecker.bird;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import net.anycast.healthchecker.config.OnShutdown;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * What one family's prefix file should announce, given the reconciler's {@link Inputs}.
 *
 * @param prefixes the prefixes to announce, without the dummy
 * @param announced per service of this family: true to announce, false to withdraw; a service
 *     still UNKNOWN (and not drained) is absent (it asks for nothing); a service the fleet valve
 *     holds counts as announced
 * @param held prefixes kept announced although their service is down, because the fleet valve
 *     has not permitted their withdrawal (yet)
 */
record DesiredPrefixes(SortedSet<IpPrefix> prefixes, Map<String, Boolean> announced,
    SortedSet<IpPrefix> held) {
  DesiredPrefixes {
    prefixes = Collections.unmodifiableSortedSet(new TreeSet<>(prefixes));
    announced = Collections.unmodifiableMap(new LinkedHashMap<>(announced));
    held = Collections.unmodifiableSortedSet(new TreeSet<>(held));
  }

  /** Returns the desired set with nothing announced now (no prefix can be held). */
  static DesiredPrefixes compute(IpFamily family, Inputs inputs, KeptPrefixes kept,
      boolean purgeIpPrefixes) {
    return compute(family, inputs, kept, purgeIpPrefixes, Set.of());
  }

  /**
   * Returns the desired set. Pure.
   *
   * <ul>
   *   <li>Each service's prefixes go as {@link Inputs#request} says: announced, withdrawn, or
   *       (KEEP: still UNKNOWN) those of them {@code kept} keeps — the file's at start-up, what
   *       was announced when a reload added the service — so neither flaps a route.
   *   <li>Prefixes of no service ("orphans") found at start-up stay while every service of the
   *       family is still UNKNOWN and {@code purgeIpPrefixes} is false: the original removed them
   *       with its first update and kept them until then. A stop with {@code on_shutdown =
   *       withdraw} withdraws them too: it promises that nothing is announced any more.
   *   <li>A withdrawal because the service is down ({@link Inputs#healthWithdrawal}) waits for
   *       the fleet valve ({@link Inputs#fleet}): a prefix in {@code current} (the file now)
   *       that the valve has not permitted stays, and is {@code held}. A prefix not announced
   *       now is never announced for the valve.
   * </ul>
   *
   * @param current the prefixes the file announces now
   */
  static DesiredPrefixes compute(IpFamily family, Inputs inputs, KeptPrefixes kept,
      boolean purgeIpPrefixes, Set<IpPrefix> current) {
    SortedSet<IpPrefix> out = new TreeSet<>();
    SortedSet<IpPrefix> held = new TreeSet<>();
    Map<String, Boolean> announced = new LinkedHashMap<>();
    Set<IpPrefix> owned = new TreeSet<>();
    boolean allUnknown = true;
    for (ServiceConfig s : inputs.services()) {
      List<IpPrefix> mine = s.prefixes().stream().filter(p -> p.family() == family).toList();
      if (mine.isEmpty()) {
        continue;
      }
      owned.addAll(mine);
      switch (inputs.request(s)) {
        case KEEP -> mine.stream().filter(kept.ofServices()::contains).forEach(out::add);
        case ANNOUNCE -> {
          announced.put(s.name(), true);
          out.addAll(mine);
        }
        case WITHDRAW -> {
          boolean holding = false;
          if (inputs.fleet().guarding() && inputs.healthWithdrawal(s)) {
            for (IpPrefix p : mine) {
              if (!inputs.fleet().mayWithdraw(p) && current.contains(p)) {
                held.add(p);
                out.add(p);
                holding = true;
              }
            }
          }
          announced.put(s.name(), holding);
        }
      }
      allUnknown &= inputs.health(s.name()) == Health.UNKNOWN;
    }
    boolean withdrawAll = inputs.stopping().orElse(OnShutdown.KEEP) == OnShutdown.WITHDRAW;
    if (allUnknown && !purgeIpPrefixes && !withdrawAll) {
      kept.orphans().stream().filter(p -> p.family() == family && !owned.contains(p))
          .forEach(out::add);
    }
    return new DesiredPrefixes(out, announced, held);
  }
}
