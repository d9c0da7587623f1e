package net.anycast.healthchecker.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * hacheck's short cache of proxied checks: an answer is reused for {@link #LIFETIME} after its
 * probe ended, and requests that arrive while a probe of the same target runs wait for that
 * probe instead of starting another. At most {@link #MAX_ENTRIES} targets are kept; the oldest
 * goes first. Time comes from the injected monotonic clock.
 */
final class ProbeCache {
  static final Duration LIFETIME = Duration.ofSeconds(2);
  static final int MAX_ENTRIES = 1024;

  /** An answer and when (monotonic nanoseconds) its probe ended. */
  record Probed(ProxyAnswer answer, long at) {}

  /** What a lookup found: an answer to wait for, or the duty to probe and {@link #put}. */
  sealed interface Lookup {
    /** Another request probes (or probed) this target: wait for its answer. */
    record Shared(CompletableFuture<ProxyAnswer> answer) implements Lookup {}

    /**
     * Nobody probes it: the caller must, then {@link ProbeCache#put} or {@link #drop}. The
     * duty holds its own entry, so that an entry evicted meanwhile still reaches its waiters.
     */
    record Probe(String key, CompletableFuture<Probed> entry) implements Lookup {}
  }

  private final LongSupplier nanoTime;
  private final Duration lifetime;
  private final int maxEntries;
  private final Map<String, CompletableFuture<Probed>> entries;

  ProbeCache(LongSupplier nanoTime) {
    this(nanoTime, LIFETIME, MAX_ENTRIES);
  }

  ProbeCache(LongSupplier nanoTime, Duration lifetime, int maxEntries) {
    this.nanoTime = nanoTime;
    this.lifetime = lifetime;
    this.maxEntries = maxEntries;
    this.entries = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Probed>> e) {
        return size() > ProbeCache.this.maxEntries;
      }
    };
  }

  /** Returns the shared answer of {@code key}, or the duty to probe it. */
  synchronized Lookup lookup(String key) {
    CompletableFuture<Probed> f = entries.get(key);
    if (f != null && (!f.isDone() || fresh(f.join()))) {
      return new Lookup.Shared(f.thenApply(Probed::answer));
    }
    // Re-inserted so that insertion order is age order and eviction takes the oldest.
    CompletableFuture<Probed> mine = new CompletableFuture<>();
    entries.remove(key);
    entries.put(key, mine);
    return new Lookup.Probe(key, mine);
  }

  /** Publishes the answer of a probe, to its waiters and to later requests. */
  void put(Lookup.Probe duty, ProxyAnswer answer) {
    duty.entry().complete(new Probed(answer, nanoTime.getAsLong()));
  }

  /**
   * Gives the answer to the waiters without keeping it: for a probe that could not run (too
   * many in flight), which a later request should try again.
   */
  void drop(Lookup.Probe duty, ProxyAnswer answer) {
    synchronized (this) {
      entries.remove(duty.key(), duty.entry());
    }
    duty.entry().complete(new Probed(answer, nanoTime.getAsLong()));
  }

  /** Returns how many targets are kept. */
  synchronized int size() {
    return entries.size();
  }

  private boolean fresh(Probed p) {
    return nanoTime.getAsLong() - p.at() < lifetime.toNanos();
  }
}
