package net.anycast.healthchecker.daemon;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.anycast.healthchecker.bird.BirdReply;
import net.anycast.healthchecker.bird.BirdSocket;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * Records, per prefix, every change of the IPv4 routes the BGP peer has: learned ({@code +}),
 * lost ({@code -}) and learned again ({@code ~}: the route's "since" time, kept by BIRD in
 * milliseconds, moved while it was present — a withdraw and re-announce between two polls). It
 * polls the peer's control socket about every 10 ms on its own thread, from a baseline taken
 * when it starts. {@link #imports} reads the peer's own counters of accepted BGP updates and
 * withdraws, which miss nothing however fast.
 */
final class PeerEvents implements AutoCloseable {
  // "10.13.0.1/32   unicast [node4 13:07:11.838] * (100) [AS65001i]"
  private static final Pattern ROUTE =
      Pattern.compile("^(\\S+)\\s+unicast \\[\\S+ ([0-9:.]+)\\]");
  // A further route of the same prefix: "                     unicast [node6 13:07:11.840] (100)"
  private static final Pattern MORE = Pattern.compile("^\\s+unicast \\[\\S+ ([0-9:.]+)\\]");
  private static final long JITTER_MILLIS = 50;
  private static final Pattern COUNTS =
      Pattern.compile("^\\s*Import (updates|withdraws):\\s+(.*)$");

  /** The peer's accepted BGP imports on its IPv4 session since it started. */
  record Imports(long updates, long withdraws) {}

  private final BirdSocket peer;
  private final Map<IpPrefix, String> baseline;
  private final Map<IpPrefix, List<String>> events = new TreeMap<>(); // guarded by itself
  private final AtomicLong polls = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile String failure;

  private PeerEvents(BirdSocket peer, Map<IpPrefix, String> baseline) {
    this.peer = peer;
    this.baseline = baseline;
    this.thread = Thread.ofPlatform().name("peer-events").daemon().unstarted(this::poll);
  }

  /** Starts recording from what the peer behind control socket {@code socket} has now. */
  static PeerEvents start(Path socket) throws IOException, InterruptedException {
    BirdSocket peer = new BirdSocket(socket, Duration.ofSeconds(10));
    PeerEvents e = new PeerEvents(peer, routes(peer));
    e.thread.start();
    return e;
  }

  /**
   * Returns each IPv4 prefix of the peer with the times BIRD learned its routes, sorted: the
   * peer may list a prefix more than once, in an order that can change without any route being
   * sent again; a route learned anew brings a time not seen before.
   */
  private static Map<IpPrefix, String> routes(BirdSocket peer)
      throws IOException, InterruptedException {
    Map<IpPrefix, java.util.SortedSet<String>> since = new HashMap<>();
    IpPrefix current = null;
    for (BirdReply.Line l : peer.command("show route table master4")) {
      Matcher m = ROUTE.matcher(l.text());
      Matcher more = MORE.matcher(l.text());
      if (m.find() && IpPrefix.isValid(m.group(1))) {
        current = IpPrefix.parse(m.group(1));
        since.computeIfAbsent(current, k -> new java.util.TreeSet<>()).add(m.group(2));
      } else if (current != null && more.find()) {
        since.get(current).add(more.group(1));
      }
    }
    Map<IpPrefix, String> out = new HashMap<>();
    since.forEach((p, times) -> out.put(p, String.join(",", times)));
    return out;
  }

  /**
   * Returns whether two readings of a prefix's learn times are the same routes. BIRD keeps the
   * times on its monotonic clock and shows them as times of day through an offset it takes once
   * per turn of its event loop, so one route's time reads a few milliseconds apart from one poll
   * to the next on a busy machine (3 ms seen). A route learned again carries the time it was
   * sent again, long after: the routes watched here were learned before the watch began.
   */
  static boolean sameRoutes(String before, String now) {
    if (before.equals(now)) {
      return true;
    }
    String[] a = before.split(",");
    String[] b = now.split(",");
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(millisOfDay(a[i]) - millisOfDay(b[i])) > JITTER_MILLIS) {
        return false;
      }
    }
    return true;
  }

  private static long millisOfDay(String time) {
    return java.time.LocalTime.parse(time).toNanoOfDay() / 1_000_000;
  }

  /** Returns the accepted imports of protocol {@code node4} of the peer at {@code socket}. */
  static Imports imports(Path socket) throws IOException, InterruptedException {
    try (BirdSocket peer = new BirdSocket(socket, Duration.ofSeconds(10))) {
      Map<String, Long> accepted = new LinkedHashMap<>();
      for (BirdReply.Line l : peer.command("show protocols all node4")) {
        Matcher m = COUNTS.matcher(l.text());
        if (m.find()) {
          String[] columns = m.group(2).trim().split("\\s+");
          accepted.put(m.group(1), Long.parseLong(columns[columns.length - 1]));
        }
      }
      if (accepted.size() != 2) {
        throw new IOException("no import counters in 'show protocols all node4'");
      }
      return new Imports(accepted.get("updates"), accepted.get("withdraws"));
    }
  }

  private void poll() {
    Map<IpPrefix, String> last = baseline;
    long t0 = System.nanoTime();
    while (!stopped) {
      try {
        Map<IpPrefix, String> now = routes(peer);
        String at = "+" + (System.nanoTime() - t0) / 1_000_000 + " ms";
        synchronized (events) {
          for (Map.Entry<IpPrefix, String> e : now.entrySet()) {
            String before = last.get(e.getKey());
            if (before == null) {
              record(e.getKey(), "+ at " + at);
            } else if (!sameRoutes(before, e.getValue())) {
              record(e.getKey(), "~ at " + at + " (since " + before + " -> " + e.getValue() + ")");
            }
          }
          for (IpPrefix p : last.keySet()) {
            if (!now.containsKey(p)) {
              record(p, "- at " + at);
            }
          }
        }
        last = now;
        polls.incrementAndGet();
        Thread.sleep(10); // paces the polls: two shared cores
      } catch (IOException e) {
        failure = "peer unreachable: " + e;
        return;
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void record(IpPrefix p, String event) {
    events.computeIfAbsent(p, k -> new ArrayList<>()).add(event);
  }

  /** Waits until {@code n} more polls are done. */
  void awaitPolls(long n) {
    long target = polls.get() + n;
    await("peer polls").atMost(Duration.ofSeconds(30))
        .failFast("the peer could not be polled", () -> failure != null)
        .until(() -> polls.get() >= target);
  }

  long polls() {
    return polls.get();
  }

  /** Returns the events of every prefix that had any. */
  Map<IpPrefix, List<String>> events() {
    if (failure != null) {
      throw new AssertionError(failure);
    }
    synchronized (events) {
      return Map.copyOf(events);
    }
  }

  /** Returns the events of the prefixes in {@code of} that had any. */
  Map<IpPrefix, List<String>> events(Set<IpPrefix> of) {
    Map<IpPrefix, List<String>> out = new TreeMap<>(events());
    out.keySet().retainAll(of);
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(Duration.ofSeconds(15));
    peer.close();
  }
}
