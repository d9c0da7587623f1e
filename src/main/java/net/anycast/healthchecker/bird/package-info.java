/**
 * The BIRD side: turns the reconciler's inputs (services, health, drains, stopping) into the
 * prefix files BIRD includes, and makes BIRD load them.
 *
 * <p>{@link net.anycast.healthchecker.bird.Reconciler} is level-triggered: per address family
 * it is the single owner of the prefix file and of reconfiguring BIRD, it wakes on any change
 * of the {@link net.anycast.healthchecker.inputs.InputsRef}, computes the desired prefix set
 * ({@link net.anycast.healthchecker.bird.DesiredPrefixes}), writes the file atomically
 * ({@link net.anycast.healthchecker.bird.PrefixFileStore}) and tells BIRD through a
 * {@link net.anycast.healthchecker.bird.BirdControl} (the {@code birdc} command or the control
 * socket), retrying with backoff until BIRD confirms.
 */
package net.anycast.healthchecker.bird;
