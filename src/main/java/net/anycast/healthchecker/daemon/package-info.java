/**
 * Process-level duties of the daemon: one instance per host ({@link InstanceLock},
 * {@link Pidfile}), signals ({@link Signals}), and systemd's notify protocol and watchdog
 * ({@link SystemdNotifier}, {@link Watchdog}). The lifecycle that wires them is {@code Daemon}.
 */
package net.anycast.healthchecker.daemon;
