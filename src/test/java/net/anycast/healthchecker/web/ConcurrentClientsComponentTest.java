package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many clients at once, each on its own connection. */
class ConcurrentClientsComponentTest extends WebServerHarness {
  private static final int CLIENTS = 100;

  @Test
  void hundredConcurrentClients_allGetTheStatus() throws Exception {
    CountDownLatch ready = new CountDownLatch(CLIENTS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Raw>> answers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      for (int i = 0; i < CLIENTS; i++) {
        answers.add(pool.submit(() -> {
          ready.countDown();
          assertThat(go.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
          return raw("GET /api/v1/status HTTP/1.1\r\nHost: x\r\n");
        }));
      }
      assertThat(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      go.countDown();

      for (Future<Raw> f : answers) {
        Raw r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(Json.object(r.body()).keySet())
            .containsExactly("daemon", "services", "families");
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void hundredRequestsOnKeptAliveConnections_ofTheHttpClient() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> codes = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        String path = i % 2 == 0 ? "/api/v1/status" : "/api/v1/services/web";
        codes.add(pool.submit(() -> get(path).statusCode()));
      }
      for (Future<Integer> f : codes) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
  }
}
