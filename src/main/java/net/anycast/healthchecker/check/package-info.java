/**
 * Checks: running a service's {@code check_cmd} (shlex split, through the
 * {@link net.anycast.healthchecker.process.ProcessRunner}) and reading how it ended as a
 * {@link net.anycast.healthchecker.check.CheckResult}, whether its prefixes are on its
 * interface, and {@link net.anycast.healthchecker.check.ServiceCheck}, one iteration of a
 * service's loop with its logging and published health.
 */
package net.anycast.healthchecker.check;
