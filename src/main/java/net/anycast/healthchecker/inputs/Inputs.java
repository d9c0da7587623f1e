package net.anycast.healthchecker.inputs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.OnShutdown;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.health.RouteRequest;
import net.anycast.healthchecker.net.IpPrefix;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;

/**
 * One immutable snapshot of what the reconcilers decide from: the configured services, the
 * health of each, the operator's drains, and whether the daemon is stopping (and how).
 *
 * <p>Every {@code with…} method returns a new snapshot, or this one when nothing changes, so a
 * publisher can tell "no change" by identity and wake nobody. Health is kept in an array indexed
 * like the services (shared between snapshots of the same services): a health change copies
 * one reference per service, which keeps a burst of thousands of changes cheap.
 *
 * <p>Once the daemon is stopping, health is frozen: a check killed by the stop (systemd signals
 * every process of the unit) must not move a route, so {@link #withHealth} changes nothing.
 */
public final class Inputs {
  private final List<ServiceConfig> services;
  private final Map<String, Integer> index;
  private final Health[] health;
  private final Drains drains;
  private final OnShutdown stopping; // null while running
  private final FleetGate fleet;
  private final long version;

  private Inputs(List<ServiceConfig> services, Map<String, Integer> index, Health[] health,
      Drains drains, OnShutdown stopping, FleetGate fleet, long version) {
    this.services = services;
    this.index = index;
    this.health = health;
    this.drains = drains;
    this.stopping = stopping;
    this.fleet = fleet;
    this.version = version;
  }

  /** Returns the first snapshot: every service UNKNOWN, no drains, running. */
  public static Inputs of(List<ServiceConfig> services) {
    List<ServiceConfig> copy = List.copyOf(services);
    Health[] health = new Health[copy.size()];
    Arrays.fill(health, Health.UNKNOWN);
    return new Inputs(copy, indexOf(copy), health, Drains.none(), null, FleetGate.OFF, 0);
  }

  private static Map<String, Integer> indexOf(List<ServiceConfig> services) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < services.size(); i++) {
      if (index.put(services.get(i).name(), i) != null) {
        throw new IllegalArgumentException("service " + services.get(i).name() + " twice");
      }
    }
    return Map.copyOf(index);
  }

  /** Returns the configured services, in configuration order. */
  public List<ServiceConfig> services() {
    return services;
  }

  /** Returns the health of a service; UNKNOWN for one not configured. */
  public Health health(String service) {
    Integer i = index.get(service);
    return i == null ? Health.UNKNOWN : health[i];
  }

  /** Returns the health of every configured service, in configuration order. */
  public Map<String, Health> healthByService() {
    Map<String, Health> out = new LinkedHashMap<>();
    for (int i = 0; i < services.size(); i++) {
      out.put(services.get(i).name(), health[i]);
    }
    return out;
  }

  /** Returns the drain that applies to a service ({@code all} first), if any. */
  public Optional<Drain> drain(String service) {
    return drains.forService(service);
  }

  /** Returns every drain in force (the spool as last read). */
  public Drains drains() {
    return drains;
  }

  /** Returns what the fleet valve lets health withdraw. */
  public FleetGate fleet() {
    return fleet;
  }

  /**
   * Returns whether this service's prefixes are to be withdrawn because its checks failed, and
   * for no deliberate reason (a stop that withdraws, a drain that withdraws, a disabled check):
   * the one kind of withdrawal the fleet valve may hold.
   */
  public boolean healthWithdrawal(ServiceConfig service) {
    return health(service.name()) == Health.DOWN && request(service) == RouteRequest.WITHDRAW
        && stopping != OnShutdown.WITHDRAW
        && !(service.onDrain() == OnDrain.WITHDRAW && drain(service.name()).isPresent());
  }

  /** Returns how the daemon is stopping, or empty while it runs. */
  public Optional<OnShutdown> stopping() {
    return Optional.ofNullable(stopping);
  }

  /**
   * Returns what these inputs ask of a service's prefixes. Pure; the one rule of the daemon:
   *
   * <ul>
   *   <li>stopping with {@code on_shutdown = withdraw}: withdraw, whatever else holds;
   *   <li>drained (a spool file for the service or {@code all}) with {@code on_drain = withdraw}:
   *       withdraw, even while UNKNOWN, so a drain survives a restart without a flap;
   *   <li>otherwise what the health asks ({@link RouteRequest#of}): UP announces, DOWN
   *       withdraws, UNKNOWN keeps what the prefix file had, DISABLED follows {@code
   *       on_disabled}. A drain with {@code on_drain = keep} changes nothing here.
   * </ul>
   */
  public RouteRequest request(ServiceConfig service) {
    if (stopping == OnShutdown.WITHDRAW) {
      return RouteRequest.WITHDRAW;
    }
    if (service.onDrain() == OnDrain.WITHDRAW && drain(service.name()).isPresent()) {
      return RouteRequest.WITHDRAW;
    }
    return RouteRequest.of(health(service.name()), service.onDisabled());
  }

  /**
   * Returns a number that grows with every change: a reconciler reports the version of the last
   * snapshot it applied, so the stop can wait until BIRD has the withdrawal.
   */
  public long version() {
    return version;
  }

  /**
   * Returns the snapshot with a service's health; this one when it is the same, when the service
   * is not configured (a loop of a removed service), or when the daemon is stopping. A service
   * that is no longer DOWN loses the fleet valve's permits for its prefixes: the next failure
   * asks again.
   */
  public Inputs withHealth(String service, Health newHealth) {
    Objects.requireNonNull(newHealth, "health");
    Integer i = index.get(service);
    if (i == null || health[i] == newHealth || stopping != null) {
      return this;
    }
    Health[] next = health.clone();
    next[i] = newHealth;
    FleetGate gate = newHealth == Health.DOWN ? fleet : fleet.revoke(services.get(i).prefixes());
    return new Inputs(services, index, next, drains, stopping, gate, version + 1);
  }

  /**
   * Returns the snapshot with another list of configured services (a reload): a service that
   * stays (same name) keeps its health, so its routes do not move; a new one starts UNKNOWN; a
   * removed one is gone, so its prefixes are withdrawn. DISABLED belongs to a disabled check: a
   * service whose check is enabled again starts UNKNOWN. Returns this one when the list is the
   * same, or when the daemon is stopping (a stop freezes what the routes follow).
   */
  public Inputs withServices(List<ServiceConfig> newServices) {
    List<ServiceConfig> copy = List.copyOf(newServices);
    if (stopping != null || copy.equals(services)) {
      return this;
    }
    Map<String, Integer> newIndex = indexOf(copy);
    Health[] next = new Health[copy.size()];
    for (int i = 0; i < next.length; i++) {
      ServiceConfig s = copy.get(i);
      Health kept = health(s.name());
      next[i] = kept == Health.DISABLED && !s.checkDisabled() ? Health.UNKNOWN : kept;
    }
    return new Inputs(copy, newIndex, next, drains, stopping, fleet, version + 1);
  }

  /** Returns the snapshot with the drains in force now; this one when they are the same. */
  public Inputs withDrains(Drains newDrains) {
    Objects.requireNonNull(newDrains, "drains");
    return drains.equals(newDrains) ? this
        : new Inputs(services, index, health, newDrains, stopping, fleet, version + 1);
  }

  /**
   * Returns the snapshot of a daemon that is stopping with {@code policy}; from here on health is
   * frozen. Stopping twice keeps the first policy.
   */
  public Inputs stopping(OnShutdown policy) {
    Objects.requireNonNull(policy, "policy");
    return stopping != null ? this
        : new Inputs(services, index, health, drains, policy, fleet, version + 1);
  }

  /**
   * Returns the snapshot with the fleet valve's permit to withdraw {@code prefix}, when a
   * service announcing it is down now ({@link #healthWithdrawal}); this one otherwise. The check
   * and the permit are one step on the latest snapshot, so a permit asked for a failure that
   * has ended meanwhile is not left behind for the next failure, which must ask again.
   */
  public Inputs permitFleetWithdrawal(IpPrefix prefix) {
    boolean down = services.stream()
        .anyMatch(s -> s.prefixes().contains(prefix) && healthWithdrawal(s));
    return down ? withFleet(fleet.permit(prefix)) : this;
  }

  /** Returns the snapshot with the fleet valve's gate; this one when it is the same. */
  public Inputs withFleet(FleetGate gate) {
    Objects.requireNonNull(gate, "gate");
    return gate.equals(fleet) ? this
        : new Inputs(services, index, health, drains, stopping, gate, version + 1);
  }
}
