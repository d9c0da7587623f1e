/**
 * Service health: the pure rise/fall rules ({@link net.anycast.healthchecker.health.HealthTracker}),
 * what a health asks of the routes ({@link net.anycast.healthchecker.health.RouteRequest}), and the per-service
 * {@link net.anycast.healthchecker.health.ServiceStatus} snapshots metrics and the watchdog read.
 */
package net.anycast.healthchecker.health;
