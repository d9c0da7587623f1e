/**
 * Service health: the pure rise/fall rules ({@link net.anycast.healthchecker.health.HealthTracker}),
 * the board where loops publish their decisions for the BIRD side to read, and the per-service
 * {@link net.anycast.healthchecker.health.ServiceStatus} snapshots metrics and the watchdog read.
 */
package net.anycast.healthchecker.health;
