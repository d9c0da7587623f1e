package net.anycast.healthchecker.inputs;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * What the fleet valve lets the reconcilers do with health-driven withdrawals.
 *
 * <p>While {@code guarding}, a prefix that a service's failed health would withdraw stays as it
 * is in BIRD until the valve has asked etcd and {@code permitted} holds it: the default is to
 * hold, so a reconciler that runs before the valve has had its say never withdraws. Not
 * guarding (no valve, or etcd unreachable for longer than the lease), health decides alone.
 * Drains, {@code on_disabled} and the stop are deliberate and never held.
 *
 * @param guarding health withdrawals need the valve's permit
 * @param permitted prefixes the valve has let this node withdraw (its etcd key already gone)
 */
public record FleetGate(boolean guarding, Set<IpPrefix> permitted) {
  /** No valve: health decides alone. */
  public static final FleetGate OFF = new FleetGate(false, Set.of());

  /** A valve that has not permitted anything yet. */
  public static final FleetGate GUARDING = new FleetGate(true, Set.of());

  public FleetGate {
    permitted = Set.copyOf(permitted);
  }

  /** Returns whether a health-driven withdrawal of {@code prefix} may go ahead now. */
  public boolean mayWithdraw(IpPrefix prefix) {
    return !guarding || permitted.contains(prefix);
  }

  /** Returns the gate with {@code prefix} permitted too. */
  public FleetGate permit(IpPrefix prefix) {
    if (permitted.contains(prefix)) {
      return this;
    }
    Set<IpPrefix> next = new HashSet<>(permitted);
    next.add(prefix);
    return new FleetGate(guarding, next);
  }

  /** Returns the gate without permits for {@code prefixes} (their service is not down now). */
  public FleetGate revoke(Collection<IpPrefix> prefixes) {
    if (prefixes.stream().noneMatch(permitted::contains)) {
      return this;
    }
    Set<IpPrefix> next = new HashSet<>(permitted);
    next.removeAll(prefixes);
    return new FleetGate(guarding, next);
  }

  /** Returns the gate guarding or not; permits are kept. */
  public FleetGate guarding(boolean on) {
    return on == guarding ? this : new FleetGate(on, permitted);
  }
}
