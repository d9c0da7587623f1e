package net.anycast.healthchecker.daemon;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * Polls the peer of a {@link BgpTestbed} on its own thread every 10 ms or so, and records every
 * look at which a family's routes differ from the expected ones: a BGP withdraw and re-announce
 * take longer than that, so a flap is caught.
 */
final class PeerWatch implements AutoCloseable {
  private final BgpTestbed testbed;
  private final Map<IpFamily, Set<IpPrefix>> expected;
  private final List<String> deviations = new ArrayList<>(); // guarded by itself
  private final AtomicLong polls = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopped;

  private PeerWatch(BgpTestbed testbed, Map<IpFamily, Set<IpPrefix>> expected) {
    this.testbed = testbed;
    this.expected = Map.copyOf(expected);
    this.thread = Thread.ofPlatform().name("peer-watch").daemon().unstarted(this::poll);
  }

  /** Starts watching for the peer to have exactly {@code expected} per family. */
  static PeerWatch start(BgpTestbed testbed, Map<IpFamily, Set<IpPrefix>> expected) {
    PeerWatch w = new PeerWatch(testbed, expected);
    w.thread.start();
    return w;
  }

  private void poll() {
    long t0 = System.nanoTime();
    while (!stopped) {
      for (var e : expected.entrySet()) {
        String seen;
        try {
          Set<IpPrefix> routes = testbed.peerRoutes(e.getKey());
          seen = routes.equals(e.getValue()) ? null : routes.toString();
        } catch (IOException ex) {
          seen = "peer unreachable: " + ex;
        } catch (InterruptedException ex) {
          return;
        }
        if (seen != null) {
          synchronized (deviations) {
            deviations.add(String.format("+%d ms %s: %s", (System.nanoTime() - t0) / 1_000_000,
                e.getKey().label(), seen));
          }
        }
      }
      polls.incrementAndGet();
      try {
        Thread.sleep(10); // paces the polls: two shared cores
      } catch (InterruptedException ex) {
        return;
      }
    }
  }

  /** Waits until {@code n} more polls of every family are done. */
  void awaitPolls(long n) {
    long target = polls.get() + n;
    await("peer polls").atMost(Duration.ofSeconds(20)).until(() -> polls.get() >= target);
  }

  long polls() {
    return polls.get();
  }

  /** Returns what the peer had, when it was not what was expected. */
  List<String> deviations() {
    synchronized (deviations) {
      return List.copyOf(deviations);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(Duration.ofSeconds(15));
  }
}
