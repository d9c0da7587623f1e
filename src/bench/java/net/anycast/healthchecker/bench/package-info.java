/**
 * The benchmark suite of issue 6, run by {@code bin/bench} and described in
 * {@code docs/benchmarks.md}: burst convergence, decision overhead, steady state and footprint of
 * the daemon process on a real BIRD with a BGP peer, each next to its physical limit. Not part of
 * the test run: Maven never compiles this source tree.
 */
package net.anycast.healthchecker.bench;
