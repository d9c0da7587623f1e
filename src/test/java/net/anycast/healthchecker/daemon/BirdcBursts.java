package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * Issue 15's burst with the default {@code bird_reconfigure_cmd}: N services told to BIRD by
 * {@code birdc configure} (no {@code bird_socket}), all failing or all recovering at once, again
 * and again; for each burst, how long after the last decisive check the peer had exactly the
 * expected routes. Shared by the end-to-end test (a generous bound: the suite runs on loaded
 * machines) and {@code bin/bench} (the strict 1 s target).
 *
 * <p>Each check is one bash that reads the flag and appends {@code NAME EPOCHREALTIME RESULT} to
 * a shared file just before it exits (appends of one short line are atomic), so the decisive
 * check's end is the check's own stamp, on the same wall clock as the test's look at the peer.
 */
final class BirdcBursts {
  /** One burst: when its last decisive check ended, when the peer was exact, reconfigures. */
  record Burst(boolean withdraw, Duration peerAfterLastDecisive, Duration decisiveSpread,
      long reconfigures) {}

  private final BgpTestbed testbed;
  private final DaemonSetup setup;
  private final Path stamps;
  private final Set<IpPrefix> all = new TreeSet<>();
  private final List<String> names = new ArrayList<>();

  /**
   * @param interval every service's {@code check_interval}: short enough that a new slot's checks
   *     start while the last one's still run on a loaded machine (what made the old holdoff wait
   *     its full second)
   */
  BirdcBursts(BgpTestbed testbed, DaemonSetup setup, int services, Duration interval)
      throws IOException {
    this.testbed = testbed;
    this.setup = setup;
    this.stamps = setup.dir().resolve("stamps");
    setup.check("check_interval", Double.toString(interval.toMillis() / 1000.0));
    Path flag = setup.flag("all");
    for (int i = 0; i < services; i++) {
      String name = "s" + i;
      IpPrefix p = prefix(i);
      all.add(p);
      names.add(name);
      setup.checkedBy(name, "/bin/bash -c 'if [ -e " + flag + " ]; then r=1; else r=0; fi;"
          + " echo \"" + name + " $EPOCHREALTIME $r\" >> " + stamps + "; exit $r'", p.toString());
    }
  }

  /** Returns the i-th service's prefix: 10.7.x.y/32. */
  static IpPrefix prefix(int i) {
    return IpPrefix.parse("10.7." + (i / 200) + "." + (i % 200 + 1) + "/32");
  }

  /** Returns every service's prefix (for the testbed's static routes). */
  static Set<IpPrefix> prefixes(int services) {
    Set<IpPrefix> out = new TreeSet<>();
    for (int i = 0; i < services; i++) {
      out.add(prefix(i));
    }
    return out;
  }

  /**
   * Runs {@code bursts} bursts, alternately withdrawing and announcing all, each after a random
   * pause (seeded) once the previous one is complete, on the running daemon {@code d}; starts no
   * new burst once {@code budget} is spent (a loaded machine), so fewer may come back.
   */
  List<Burst> run(DaemonProcess d, int bursts, long seed, Duration converge, Duration budget)
      throws Exception {
    long end = System.nanoTime() + budget.toNanos();
    testbed.awaitPeerRoutes(IpFamily.IPV4, all, converge);
    Random random = new Random(seed);
    List<Burst> out = new ArrayList<>();
    for (int b = 0; b < bursts && System.nanoTime() < end; b++) {
      boolean withdraw = b % 2 == 0;
      Thread.sleep(300 + random.nextInt(900)); // where the flip lands in the slot
      long reconfiguresBefore = d.reconfigures(4);
      long offset = Files.exists(stamps) ? Files.size(stamps) : 0;
      double flipped = nowSeconds();
      if (withdraw) {
        setup.fail("all");
      } else {
        setup.recover("all");
      }
      double exact = awaitPeerExact(withdraw ? Set.of() : all, converge);
      double[] decisive = awaitDecisive(offset, flipped, withdraw ? 1 : 0, converge);
      out.add(new Burst(withdraw, seconds(exact - decisive[1]),
          seconds(decisive[1] - decisive[0]), d.reconfigures(4) - reconfiguresBefore));
      System.out.print(describe(out.subList(out.size() - 1, out.size()))); // progress
      if (Boolean.getBoolean("bench.trace")) {
        System.out.printf(Locale.ROOT, "    flipped %.3f first %.3f last %.3f exact %.3f%n", flipped,
            decisive[0], decisive[1], exact);
      }
    }
    return out;
  }

  /** Polls the peer until its routes are exactly {@code expected}; returns when (epoch s). */
  private double awaitPeerExact(Set<IpPrefix> expected, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      double before = nowSeconds();
      if (testbed.peerRoutes(IpFamily.IPV4).equals(expected)) {
        return before; // the peer had them when the look began at the latest
      }
      Thread.sleep(2);
    }
    throw new AssertionError("the peer never had exactly " + expected.size() + " routes");
  }

  /**
   * Waits until every service has a stamp with {@code result} after {@code flipped}; returns the
   * first and the last service's first such stamp (epoch seconds).
   */
  private double[] awaitDecisive(long offset, double flipped, int result, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, Double> first = new HashMap<>();
      for (String line : linesFrom(offset)) {
        String[] w = line.split(" ");
        if (w.length != 3) {
          continue; // cannot happen with atomic appends; never trusted either way
        }
        double at = Double.parseDouble(w[1]);
        if (at > flipped && Integer.parseInt(w[2]) == result) {
          first.merge(w[0], at, Math::min);
        }
      }
      if (first.keySet().containsAll(names)) {
        double lo = first.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double hi = first.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return new double[] {lo, hi};
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(first.size() + " of " + names.size() + " services decided");
      }
      Thread.sleep(50);
    }
  }

  /** Returns the stamp lines from byte {@code offset} on (those of the burst, and a few more). */
  private List<String> linesFrom(long offset) throws IOException {
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(stamps.toFile(), "r")) {
      f.seek(offset);
      byte[] rest = new byte[(int) (f.length() - offset)];
      f.readFully(rest);
      return new String(rest, java.nio.charset.StandardCharsets.US_ASCII).lines().toList();
    }
  }

  private static double nowSeconds() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() + now.getNano() / 1e9;
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos((long) (s * 1e9));
  }

  /** Returns one line per burst plus a summary, for the test's output and the bench. */
  static String describe(List<Burst> bursts) {
    StringBuilder sb = new StringBuilder();
    for (Burst b : bursts) {
      sb.append(String.format(Locale.ROOT, "  %s: peer exact %d ms after the last decisive check"
          + " (decisive checks spread over %d ms), %d reconfigures%n",
          b.withdraw() ? "withdraw" : "announce", b.peerAfterLastDecisive().toMillis(),
          b.decisiveSpread().toMillis(), b.reconfigures()));
    }
    return sb.toString();
  }

  /** Returns the longest time from the last decisive check to the peer being exact. */
  static Duration worst(List<Burst> bursts) {
    return bursts.stream().map(Burst::peerAfterLastDecisive).max(Duration::compareTo)
        .orElseThrow();
  }
}
