/**
 * When checks run: one loop per service on a drift-free grid of slots with a random start-up
 * delay, run-now on SIGURG, never overlapping itself; all timed by one timer thread behind the
 * {@link net.anycast.healthchecker.schedule.Scheduler} seam, checks run on virtual threads.
 * {@link net.anycast.healthchecker.schedule.ServiceLoops} is what the daemon wires.
 */
package net.anycast.healthchecker.schedule;
