/**
 * Monitoring from outside the process: the daemon replaces a small status file with each loop's
 * last progress, and {@link NagiosCheck} turns pidfile + status file into a Nagios verdict.
 */
package net.anycast.healthchecker.monitor;
