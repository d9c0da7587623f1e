package net.anycast.healthchecker.health;

/** What one iteration of a service's loop found out. */
public enum Observation {
  /** The check command exited 0. */
  PASSED,
  /** The check command exited non-zero, timed out or could not run. */
  FAILED,
  /** A prefix of the service is not assigned to its interface; the check was not run. */
  IP_NOT_ASSIGNED
}
