/**
 * Checks: running a service's {@code check_cmd} (shlex split, no shell, own process group,
 * killed and reaped on timeout, bounded output), whether its prefixes are on its interface, and
 * {@link net.anycast.healthchecker.check.ServiceCheck}, one iteration of a service's loop with
 * its logging and published health.
 */
package net.anycast.healthchecker.check;
