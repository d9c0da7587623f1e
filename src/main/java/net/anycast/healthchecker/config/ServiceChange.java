package net.anycast.healthchecker.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a reload does to one service, decided by comparing its sections in the running and the
 * new configuration (by section name, which is the service's identity in logs, metrics and
 * drains).
 */
public sealed interface ServiceChange {

  /** Returns the name of the service as it is after the reload (the removed one's for Removed). */
  String name();

  /** Same section, same settings: its loop, slot, health and rise/fall counters stay. */
  record Unchanged(ServiceConfig service) implements ServiceChange {
    @Override
    public String name() {
      return service.name();
    }
  }

  /**
   * Same check, other route settings ({@code ip_prefix}, {@code on_disabled}, {@code on_drain},
   * the custom reconfigure command): the loop and its counters stay; the reconcilers move the
   * routes in their next pass.
   *
   * @param keys the keys that differ, in {@link #KEYS} order
   */
  record RoutesChanged(ServiceConfig before, ServiceConfig after, List<String> keys)
      implements ServiceChange {
    public RoutesChanged {
      keys = List.copyOf(keys);
    }

    @Override
    public String name() {
      return after.name();
    }
  }

  /**
   * Another check (command, timing, rise/fall, interface, IP check, enabled or not): a new loop
   * replaces the old one and starts from the service's current health, which stays until the new
   * check decides.
   *
   * @param keys the keys that differ, in {@link #KEYS} order (route keys too, when they changed)
   */
  record CheckChanged(ServiceConfig before, ServiceConfig after, List<String> keys)
      implements ServiceChange {
    public CheckChanged {
      keys = List.copyOf(keys);
    }

    @Override
    public String name() {
      return after.name();
    }
  }

  /** A new section: a new loop, UNKNOWN until its check decides. */
  record Added(ServiceConfig service) implements ServiceChange {
    @Override
    public String name() {
      return service.name();
    }
  }

  /** A section that is gone: its loop stops and its prefixes are withdrawn. */
  record Removed(ServiceConfig service) implements ServiceChange {
    @Override
    public String name() {
      return service.name();
    }
  }

  /**
   * A section that is gone while a new one has exactly its settings under another name. Applied
   * as Removed plus Added (the name is the identity); reported as one change so the operator sees
   * what happened. Its prefixes are not withdrawn in between: a new service that is still UNKNOWN
   * keeps what is announced now.
   */
  record Renamed(ServiceConfig before, ServiceConfig after) implements ServiceChange {
    @Override
    public String name() {
      return after.name();
    }
  }

  /**
   * One setting of a service section: its key and how to read it. A setting that is part of the
   * check needs a new loop when it changes; the others only change what the routes do.
   */
  record Key(String name, Function<ServiceConfig, Object> value, boolean partOfCheck) {}

  /** Every setting of {@link ServiceConfig} except its name, in the order changes list them. */
  List<Key> KEYS = List.of(
      new Key("check_cmd", ServiceConfig::checkCmd, true),
      new Key("check_http_*", s -> spec(s, "http"), true),
      new Key("check_tcp_*", s -> spec(s, "tcp"), true),
      new Key("check_dns_*", s -> spec(s, "dns"), true),
      new Key("check_mode", s -> s.checks().mode(), true),
      new Key("check_interval", ServiceConfig::checkInterval, true),
      new Key("check_timeout", ServiceConfig::checkTimeout, true),
      new Key("check_rise", ServiceConfig::checkRise, true),
      new Key("check_fail", ServiceConfig::checkFail, true),
      new Key("check_disabled", ServiceConfig::checkDisabled, true),
      new Key("interface", ServiceConfig::interfaceName, true),
      new Key("ip_check_disabled", ServiceConfig::ipCheckDisabled, true),
      new Key("ip_prefix", ServiceConfig::prefixes, false),
      new Key("on_disabled", ServiceConfig::onDisabled, false),
      new Key("on_drain", ServiceConfig::onDrain, false),
      new Key("custom_bird_reconfigure_cmd", ServiceConfig::customBirdReconfigureCmd, false),
      new Key("custom_bird_reconfigure_cmd_timeout",
          ServiceConfig::customBirdReconfigureCmdTimeout, false));

  /** Returns the service's built-in check of {@code kind}, if it has one. */
  private static Optional<CheckSpec> spec(ServiceConfig s, String kind) {
    return s.checks().specs().stream().filter(c -> c.kind().equals(kind)).findFirst();
  }

  /**
   * Returns what happens to a service present in both configurations under the same name.
   * Pure.
   */
  static ServiceChange of(ServiceConfig before, ServiceConfig after) {
    List<Key> differ = KEYS.stream()
        .filter(k -> !Objects.equals(k.value().apply(before), k.value().apply(after))).toList();
    List<String> keys = differ.stream().map(Key::name).toList();
    if (differ.isEmpty()) {
      return new Unchanged(after);
    }
    return differ.stream().anyMatch(Key::partOfCheck)
        ? new CheckChanged(before, after, keys) : new RoutesChanged(before, after, keys);
  }

  /** Returns whether two services differ in nothing but their names. */
  static boolean sameButName(ServiceConfig a, ServiceConfig b) {
    return KEYS.stream().allMatch(k -> Objects.equals(k.value().apply(a), k.value().apply(b)));
  }

  /** Returns the change as one line of a reload's summary, e.g. {@code changed check of x: …}. */
  default String describe() {
    return switch (this) {
      case Unchanged u -> "unchanged " + u.name();
      case RoutesChanged r -> "changed " + String.join(", ", r.keys()) + " of " + r.name();
      case CheckChanged c -> "changed check of " + c.name() + " (" + String.join(", ", c.keys())
          + "); health kept until the new check decides";
      case Added a -> "added " + a.name();
      case Removed r -> "removed " + r.name();
      case Renamed r -> "renamed " + r.before().name() + " to " + r.name();
    };
  }
}
