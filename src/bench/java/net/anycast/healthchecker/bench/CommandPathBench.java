package net.anycast.healthchecker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.anycast.healthchecker.bird.BenchTestbed;

/**
 * Issue 15, "the decision path with the default command": one service, fail/rise 2/2, told to
 * BIRD by {@code bird_reconfigure_cmd} (no {@code bird_socket}). From the end of the decisive
 * check (the second failing, or passing, check's own stamp) to the reconfigure command starting
 * (the first thing {@code reconf}'s main() does, before it execs {@code birdc -s … configure}),
 * split by the daemon's log lines; printed as a ratio to the limit measured in the same run: a
 * C loop's {@code posix_spawn} of the same {@code reconf} in a new session, from the call to its
 * main().
 */
final class CommandPathBench {
  private static final int LIMIT_SPAWNS = 200;

  private final Env env;
  private final BenchTestbed bed;
  private final Table table;
  private final int trials;
  private final String javaOpts;

  CommandPathBench(Env env, BenchTestbed bed, Table table, int trials, String javaOpts) {
    this.env = env;
    this.bed = bed;
    this.table = table;
    this.trials = trials;
    this.javaOpts = javaOpts;
  }

  private Path reconf() {
    return env.stamp().resolveSibling("reconf");
  }

  void run() throws Exception {
    Path dir = env.work().resolve("command-path");
    Files.createDirectories(dir);
    Path starts = dir.resolve("starts.log");
    var params = new DaemonRun.Params(1, 30, 5, 2, 2, 0, javaOpts);
    String command = reconf() + " " + starts + " /usr/sbin/birdc -s " + bed.nodeSocket()
        + " configure";
    List<Double> ours = new ArrayList<>();
    List<double[]> parts = new ArrayList<>();
    try (DaemonRun daemon = DaemonRun.startWithCommand(env, bed, dir, params, command)) {
      daemon.awaitFirstReconcile(Duration.ofSeconds(60));
      BurstBench.awaitStamps(daemon, 1);
      trial(daemon, starts, false); // rises from UNKNOWN: the trials start from UP
      for (int i = 0; i < trials; i++) {
        for (boolean broken : new boolean[] {true, false}) {
          double[] t = trial(daemon, starts, broken);
          ours.add(t[0]);
          parts.add(t);
        }
      }
    }
    Stats limit = new Stats(limit(dir.resolve("limit.log")));
    Stats path = new Stats(ours);
    String p = params.describe() + ", bird_reconfigure_cmd = reconf … birdc -s … configure, "
        + trials + " fails + " + trials + " recoveries, p50/p95/max ms";
    table.info("command path: check end → reconfigure command started", p, path.summary());
    table.info("limit: C posix_spawn(SETSID) → the same command's main()",
        LIMIT_SPAWNS + " spawns, same run", limit.summary());
    table.info("command path as a ratio of the limit", p, String.format(Locale.ROOT,
        "p50 %.1f×, p95 %.1f×", path.p(50) / limit.p(50), path.p(95) / limit.p(95)));
    table.info("command path: where the time goes (mean ms)", p + ", log times ±0.5 ms",
        String.format(Locale.ROOT, "check end → status logged %.2f; → prefix file written (incl."
            + " data fsync and rename) %.2f; → command started %.2f",
            parts.stream().mapToDouble(t -> t[1]).average().orElse(Double.NaN),
            parts.stream().mapToDouble(t -> t[2]).average().orElse(Double.NaN),
            parts.stream().mapToDouble(t -> t[3]).average().orElse(Double.NaN)));
  }

  /**
   * Breaks (or mends) the service and runs its check twice by SIGURG; returns ms from the
   * decisive check's end to the command's start, then the three parts (status logged, file
   * written, command started).
   */
  private static double[] trial(DaemonRun daemon, Path starts, boolean broken) throws Exception {
    long stampMark = Stamp.mark(daemon.stamps());
    long startMark = Stamp.mark(starts);
    daemon.broken(broken);
    Instant decisive = null;
    for (int run = 1; run <= 2; run++) {
      daemon.runAllNow();
      List<Stamp> s = awaitStamps(daemon.stamps(), stampMark, run);
      decisive = s.get(run - 1).at();
    }
    Instant started = awaitStart(starts, startMark);
    Thread.sleep(300); // the pass ends (birdc, wake-up) before the next trial; nothing waits on it
    Instant logged = lastBefore(daemon.log(), "status changed", started);
    Instant written = lastBefore(daemon.log(), "wrote ", started);
    return new double[] {Event.ms(decisive, started), Event.ms(decisive, logged),
        Event.ms(logged, written), Event.ms(written, started)};
  }

  private static List<Stamp> awaitStamps(Path log, long mark, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Stamp> s;
    while ((s = Stamp.read(log, mark)).size() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("check did not run");
      }
      Thread.sleep(1);
    }
    return s;
  }

  private static Instant awaitStart(Path starts, long mark) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<Instant> s = readStarts(starts, mark, "start");
      if (!s.isEmpty()) {
        return s.getFirst();
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("the reconfigure command did not start");
  }

  /** Returns the time of the last daemon log line with {@code needle} (+0.5 ms) before {@code t}. */
  private static Instant lastBefore(Path log, String needle, Instant t) throws Exception {
    Instant out = null;
    for (LogTimes.Line l : LogTimes.daemon(log, needle)) {
      Instant at = l.at().plusNanos(500_000);
      if (!at.isAfter(t.plusMillis(1))) {
        out = at;
      }
    }
    return out == null ? t : out;
  }

  private static List<Instant> readStarts(Path log, long mark, String word) throws Exception {
    List<Instant> out = new ArrayList<>();
    if (!Files.exists(log)) {
      return out;
    }
    byte[] all = Files.readAllBytes(log);
    int from = (int) Math.min(mark, all.length);
    for (String line : new String(all, from, all.length - from,
        java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
      String[] w = line.split(" ");
      if (w.length == 2 && w[0].equals(word)) {
        long ns = Long.parseLong(w[1]);
        out.add(Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L));
      }
    }
    return out;
  }

  /** Runs the C start loop; returns ms from each posix_spawn call to the command's main(). */
  private List<Double> limit(Path log) throws Exception {
    Env.run(env.stamp().resolveSibling("startloop").toString(), Integer.toString(LIMIT_SPAWNS),
        log.toString(), reconf().toString(), "/bin/true");
    List<Instant> started = readStarts(log, 0, "start");
    List<Instant> spawned = readStarts(log, 0, "spawn");
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < Math.min(started.size(), spawned.size()); i++) {
      out.add(Event.ms(spawned.get(i), started.get(i)));
    }
    return out;
  }
}
