/**
 * The reconciler's one input: an immutable snapshot of the configured services, each service's
 * health and the operator's overrides (drains), plus whether the daemon is stopping, published
 * through one reference ({@link net.anycast.healthchecker.inputs.InputsRef}).
 *
 * <p>Every source (service loops, the spool watcher, later reload and the HTTP API) replaces the
 * snapshot copy-on-write; the reconcilers compute the desired prefixes from the latest one on
 * every pass, and the status that metrics and the CLI show is read from the same snapshot.
 */
package net.anycast.healthchecker.inputs;
