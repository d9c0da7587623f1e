/**
 * When checks run: one loop per service on a drift-free grid of slots with a random start-up
 * delay, run-now on SIGURG, never overlapping itself, a missed slot skipped and counted; timed
 * behind the {@link net.anycast.healthchecker.schedule.Scheduler} seam (in production the
 * reactors' timers, {@link net.anycast.healthchecker.schedule.ReactorScheduler}). Built-in checks
 * begin on the slot's reactor; checks that block run on virtual threads.
 * {@link net.anycast.healthchecker.schedule.ServiceLoops} is what the daemon wires.
 */
package net.anycast.healthchecker.schedule;
