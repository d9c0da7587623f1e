package net.anycast.healthchecker.health;

import net.anycast.healthchecker.config.OnDisabled;

/** What a service's health asks of its prefixes in BIRD. */
public enum RouteRequest {
  ANNOUNCE,
  WITHDRAW,
  /** UNKNOWN: not risen or fallen yet; leave the prefixes as the prefix file has them. */
  KEEP;

  /** Returns the request for a health; DISABLED asks for what {@code on_disabled} says. */
  public static RouteRequest of(Health health, OnDisabled onDisabled) {
    return switch (health) {
      case UP -> ANNOUNCE;
      case DOWN -> WITHDRAW;
      case UNKNOWN -> KEEP;
      case DISABLED -> onDisabled == OnDisabled.ADVERTISE ? ANNOUNCE : WITHDRAW;
    };
  }
}
