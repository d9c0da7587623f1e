/**
 * Service health: the pure rise/fall rules and the board where loops publish their decisions
 * for the BIRD side to read.
 */
package net.anycast.healthchecker.health;
