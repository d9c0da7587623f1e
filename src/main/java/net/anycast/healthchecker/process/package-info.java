/**
 * Running other programs: a command line split like {@code shlex.split}, run without a shell
 * in a session of its own, with a deadline, bounded output, and on timeout its whole process
 * tree killed and reaped. {@link net.anycast.healthchecker.process.ProcessRunner} serves both
 * {@code check_cmd} and the BIRD reconfigure commands.
 */
package net.anycast.healthchecker.process;
