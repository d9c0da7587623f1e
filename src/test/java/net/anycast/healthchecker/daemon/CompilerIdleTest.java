package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CompilerIdleTest {
  private final List<Duration> paused = new ArrayList<>();

  /** A JIT whose compile time reads as {@code times}, the last one from then on. */
  private CompilerIdle jit(long... times) {
    Iterator<Long> it = LongStream.of(times).boxed().iterator();
    long[] last = {0};
    return new CompilerIdle(() -> it.hasNext() ? (last[0] = it.next()) : last[0], paused::add);
  }

  @Test
  void await_quietFromTheStart_returnsAfterThreeUnchangedReads() throws Exception {
    assertThat(jit(7).await(Duration.ofSeconds(10))).isTrue();
    assertThat(paused).containsExactly(CompilerIdle.POLL, CompilerIdle.POLL, CompilerIdle.POLL);
  }

  @Test
  void await_compileEndsMidway_restartsTheQuietCount() throws Exception {
    // 5, 5, 9 (a compilation ended: count again), 9, 9, 9.
    assertThat(jit(5, 5, 9, 9, 9, 9).await(Duration.ofSeconds(10))).isTrue();
    assertThat(paused).hasSize(5);
  }

  @Test
  void await_neverQuiet_givesUpAtTheLimit() throws Exception {
    long[] t = {0};
    CompilerIdle busy = new CompilerIdle(() -> t[0]++, paused::add);

    assertThat(busy.await(Duration.ofMillis(500))).isFalse();
    assertThat(paused).hasSize(10); // 500 ms in polls of 50 ms
  }

  @Test
  void system_readsTheJvmsCompileTime() throws Exception {
    CompilerIdle jit = CompilerIdle.system();
    assertThat(jit.compiledMillis()).isGreaterThanOrEqualTo(0);
  }
}
