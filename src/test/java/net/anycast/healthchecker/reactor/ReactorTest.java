package net.anycast.healthchecker.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One reactor thread, on a clock the test sets. No timed assertions: the test waits for what
 * the reactor reports (a future), with a generous bound only so a bug cannot hang the suite.
 */
class ReactorTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final Reactor reactor = Reactor.start("check-reactor-test", now::get);

  @AfterEach
  void close() {
    reactor.close();
  }

  private <T> T onReactor(java.util.function.Supplier<T> s) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    reactor.execute(() -> f.complete(s.get()));
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void execute_runsOnTheReactorThread() throws Exception {
    assertThat(onReactor(() -> Thread.currentThread().getName())).isEqualTo("check-reactor-test");
    assertThat(reactor.inReactor()).isFalse();
  }

  @Test
  void timer_runsOnlyOnceItsClockSaysItIsDue() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> fired = new CompletableFuture<>();
    Timer t = new Timer(() -> {
      ran.add("due");
      fired.complete(null);
    });
    onReactor(() -> {
      reactor.arm(t, 5_000);
      return null;
    });
    onReactor(() -> null); // a few turns of the loop: still not due
    assertThat(ran).isEmpty();
    now.set(5_000);
    reactor.execute(() -> {}); // a turn reads the clock again
    fired.get(10, TimeUnit.SECONDS);
    assertThat(ran).containsExactly("due");
  }

  @Test
  void disarmedTimer_neverRuns() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    Timer t = new Timer(() -> ran.add("no"));
    onReactor(() -> {
      reactor.arm(t, 2_000);
      reactor.disarm(t);
      return null;
    });
    now.set(3_000);
    onReactor(() -> null);
    onReactor(() -> null);
    assertThat(ran).isEmpty();
  }

  @Test
  void armOffTheReactorThread_isRefused() {
    assertThatThrownBy(() -> reactor.arm(new Timer(() -> {}), 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("check-reactor-test");
  }

  @Test
  void failingTask_isLogged_andTheLoopGoesOn() throws Exception {
    reactor.execute(() -> {
      throw new IllegalStateException("bug");
    });
    assertThat(onReactor(() -> "alive")).isEqualTo("alive");
  }

  @Test
  void registeredChannel_callsItsHandler_whenReady() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Boolean> connected = new CompletableFuture<>();
      reactor.execute(() -> {
        try {
          SocketChannel ch = SocketChannel.open();
          ch.configureBlocking(false);
          ch.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
          reactor.register(ch, SelectionKey.OP_CONNECT, key -> {
            try {
              connected.complete(ch.finishConnect());
              key.interestOps(0);
            } catch (java.io.IOException e) {
              connected.completeExceptionally(e);
            }
          });
        } catch (java.io.IOException e) {
          connected.completeExceptionally(e);
        }
      });
      try (Socket accepted = server.accept()) {
        assertThat(connected.get(10, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void close_closesTheRegisteredChannels() throws Exception {
    SocketChannel ch = SocketChannel.open();
    ch.configureBlocking(false);
    onReactor(() -> {
      try {
        return reactor.register(ch, 0, key -> {});
      } catch (java.nio.channels.ClosedChannelException e) {
        throw new IllegalStateException(e);
      }
    });
    reactor.close();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void failingHandler_hasItsChannelClosed_andTheLoopGoesOn() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SocketChannel ch = SocketChannel.open();
      ch.configureBlocking(false);
      onReactor(() -> {
        try {
          ch.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
          return reactor.register(ch, SelectionKey.OP_CONNECT, key -> {
            throw new IllegalStateException("bug");
          });
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      });
      try (Socket accepted = server.accept()) {
        for (int i = 0; i < 1_000 && ch.isOpen(); i++) {
          onReactor(() -> null);
        }
        assertThat(ch.isOpen()).isFalse();
        assertThat(onReactor(() -> "alive")).isEqualTo("alive");
      }
    }
  }

  @Test
  void runBy_laterThanTheNextTimer_waitsForIt_earlier_wakesTheThread() throws Exception {
    CompletableFuture<Void> timerRan = new CompletableFuture<>();
    onReactor(() -> {
      reactor.arm(new Timer(() -> timerRan.complete(null)), 1_000 + 10_000_000_000L);
      return null;
    });
    awaitAsleep();
    List<String> ran = new CopyOnWriteArrayList<>();
    reactor.runBy(1_000 + 20_000_000_000L, () -> ran.add("late"));
    // Asleep until its timer (10 s on its clock, which stands still): the late task waits.
    Thread.sleep(300);
    assertThat(ran).isEmpty();
    CompletableFuture<Void> soon = new CompletableFuture<>();
    reactor.runBy(1_000 + 1_000_000_000L, () -> {
      ran.add("soon");
      soon.complete(null);
    });
    soon.get(10, TimeUnit.SECONDS);
    assertThat(ran).containsExactly("late", "soon"); // in the order handed in
    assertThat(timerRan).isNotDone();
  }

  private void awaitAsleep() {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(reactor::asleep);
  }

  @Test
  void runBy_withNoTimerArmed_wakesTheThread() throws Exception {
    onReactor(() -> null);
    awaitAsleep(); // with nothing armed
    CompletableFuture<String> f = new CompletableFuture<>();
    reactor.runBy(5_000, () -> f.complete(Thread.currentThread().getName()));
    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("check-reactor-test");
  }

  @Test
  void runBy_neverDue_doesNotWake_butRunsAtTheNextTurn() throws Exception {
    onReactor(() -> null);
    awaitAsleep();
    List<String> ran = new CopyOnWriteArrayList<>();
    reactor.runBy(Long.MAX_VALUE, () -> ran.add("disarm"));
    Thread.sleep(300);
    assertThat(ran).isEmpty();
    onReactor(() -> null); // any wake-up runs it
    assertThat(ran).containsExactly("disarm");
  }

  @Test
  void runBy_onTheReactorThread_runsAtOnce() throws Exception {
    assertThat(onReactor(() -> {
      List<String> ran = new java.util.ArrayList<>();
      reactor.runBy(Long.MAX_VALUE, () -> ran.add("now"));
      return ran;
    })).containsExactly("now");
  }
}
