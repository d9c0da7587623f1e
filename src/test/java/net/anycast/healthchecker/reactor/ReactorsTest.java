package net.anycast.healthchecker.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReactorsTest {

  @Test
  void countFor_oneReactorPerCpu_atMostFour() {
    assertThat(Reactors.countFor(1)).isEqualTo(1);
    assertThat(Reactors.countFor(2)).isEqualTo(2);
    assertThat(Reactors.countFor(64)).isEqualTo(4);
  }

  @Test
  void of_aServiceAlwaysGetsTheSameReactor_andServicesSpreadOverAll() {
    try (Reactors reactors = Reactors.start(3, System::nanoTime)) {
      Map<Reactor, Integer> load = new HashMap<>();
      for (int i = 0; i < 3_000; i++) {
        load.merge(reactors.of("svc-" + i), 1, Integer::sum);
      }
      assertThat(reactors.of("svc-7")).isSameAs(reactors.of("svc-7"));
      assertThat(load).hasSize(3);
      assertThat(load.values()).allSatisfy(n -> assertThat(n).isBetween(700, 1_300));
    }
  }

  @Test
  void threads_areNamedCheckReactorN() throws Exception {
    try (Reactors reactors = Reactors.start(2, System::nanoTime)) {
      var name = new java.util.concurrent.CompletableFuture<String>();
      reactors.all().get(1).execute(() -> name.complete(Thread.currentThread().getName()));
      assertThat(name.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("check-reactor-1");
    }
  }
}
