/**
 * Checks: a service's {@code check_cmd} (shlex split, through the
 * {@link net.anycast.healthchecker.process.ProcessRunner}) and the built-in kinds, one file each
 * ({@link net.anycast.healthchecker.check.HttpCheck},
 * {@link net.anycast.healthchecker.check.TcpCheck}, {@link net.anycast.healthchecker.check.DnsCheck};
 * on a reactor without a thread: {@link net.anycast.healthchecker.check.TcpConnectCheck},
 * {@link net.anycast.healthchecker.check.PlainHttpCheck}), each run ending as a
 * {@link net.anycast.healthchecker.check.CheckResult};
 * {@link net.anycast.healthchecker.check.CheckGroup} combines a service's checks by
 * {@code check_mode}; whether its prefixes are on its interface; and
 * {@link net.anycast.healthchecker.check.ServiceCheck}, one iteration of a service's loop with its
 * logging and published health.
 */
package net.anycast.healthchecker.check;
