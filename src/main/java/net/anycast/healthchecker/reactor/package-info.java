/**
 * Network I/O without a thread per check: a {@link net.anycast.healthchecker.reactor.Reactor} is
 * one thread running a NIO selector and its own {@link net.anycast.healthchecker.reactor.Timers};
 * {@link net.anycast.healthchecker.reactor.Reactors} spreads the services over one reactor per
 * CPU (at most four). The built-in TCP and plain-HTTP checks and the service loops' slot timers
 * run here; nothing on a reactor thread may block.
 */
package net.anycast.healthchecker.reactor;
