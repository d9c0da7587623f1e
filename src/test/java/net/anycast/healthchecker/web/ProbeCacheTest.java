package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The proxy's short cache, on a manual monotonic clock. */
class ProbeCacheTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ProbeCache cache = new ProbeCache(now::get, Duration.ofSeconds(2), 3);
  private static final ProxyAnswer OK = new ProxyAnswer(200, "ok");

  private ProbeCache.Lookup.Probe duty(String key) {
    return (ProbeCache.Lookup.Probe) cache.lookup(key);
  }

  @Test
  void lookup_whileProbing_sharesTheProbe() {
    ProbeCache.Lookup.Probe first = duty("a");

    ProbeCache.Lookup second = cache.lookup("a");

    assertThat(second).isInstanceOf(ProbeCache.Lookup.Shared.class);
    var waiting = ((ProbeCache.Lookup.Shared) second).answer();
    assertThat(waiting).isNotDone();
    cache.put(first, OK);
    assertThat(waiting).isCompletedWithValue(OK);
  }

  @Test
  void answer_isReusedForItsLifetime_fromWhenTheProbeEnded() {
    ProbeCache.Lookup.Probe d = duty("a");
    now.addAndGet(Duration.ofSeconds(5).toNanos()); // a slow probe
    cache.put(d, OK);

    now.addAndGet(Duration.ofMillis(1999).toNanos());
    assertThat(cache.lookup("a")).isInstanceOf(ProbeCache.Lookup.Shared.class);
    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(cache.lookup("a")).isInstanceOf(ProbeCache.Lookup.Probe.class);
  }

  @Test
  void droppedAnswer_reachesWaiters_butIsNotKept() {
    ProbeCache.Lookup.Probe d = duty("a");
    var waiting = ((ProbeCache.Lookup.Shared) cache.lookup("a")).answer();

    cache.drop(d, new ProxyAnswer(503, "busy"));

    assertThat(waiting.join().status()).isEqualTo(503);
    assertThat(cache.lookup("a")).isInstanceOf(ProbeCache.Lookup.Probe.class);
  }

  @Test
  void entries_areBounded_oldestEvicted_andAnEvictedProbeStillReachesItsWaiters() {
    ProbeCache.Lookup.Probe a = duty("a");
    var waiting = ((ProbeCache.Lookup.Shared) cache.lookup("a")).answer();
    for (String k : new String[] {"b", "c", "d", "e"}) {
      cache.put(duty(k), OK);
    }

    assertThat(cache.size()).isEqualTo(3);
    cache.put(a, OK);
    assertThat(waiting).isCompletedWithValue(OK);
    assertThat(cache.lookup("b")).isInstanceOf(ProbeCache.Lookup.Probe.class);
  }
}
