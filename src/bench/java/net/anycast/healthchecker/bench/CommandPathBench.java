package net.anycast.healthchecker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import net.anycast.healthchecker.bird.BenchTestbed;

/**
 * Issue 15, "the decision path with the default command": one service, fail/rise 2/2, told to
 * BIRD by {@code bird_reconfigure_cmd} (no {@code bird_socket}). From the end of the decisive
 * check (the second failing, or passing, check's own stamp) to the reconfigure command starting
 * (the first thing {@code reconf}'s main() does, before it execs {@code birdc -s … configure}),
 * split by the daemon's log lines; printed as a ratio to the limit measured in the same run: a
 * C loop's {@code posix_spawn} of the same {@code reconf} in a new session, from the call to its
 * main(). With {@code --original=DIR} the Python original runs beside ours in the same run, trial
 * by trial, and is measured the same way against the same limit.
 */
final class CommandPathBench {
  private static final int LIMIT_SPAWNS = 200;

  /** The original's check_interval: it has no "run now" here, its own timer drives it. */
  static final double ORIGINAL_INTERVAL = 0.5;

  private final Env env;
  private final BenchTestbed bed;
  private final Table table;
  private final int trials;
  private final String javaOpts;
  private final Path original;
  private final String python;

  /**
   * {@code original}: the directory holding the Python original's package
   * ({@code anycast_healthchecker/}), run side by side in the same run; null for ours alone.
   */
  CommandPathBench(Env env, BenchTestbed bed, Table table, int trials, String javaOpts,
      Path original, String python) {
    this.env = env;
    this.bed = bed;
    this.table = table;
    this.trials = trials;
    this.javaOpts = javaOpts;
    this.original = original;
    this.python = python;
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
    List<double[]> theirs = original == null ? null : new ArrayList<>();
    Side side = original == null ? null : original(dir, params);
    try (DaemonRun daemon = DaemonRun.startWithCommand(env, bed, dir, params, command);
        OriginalRun o = side == null ? null : side.start()) {
      Instant reconciled = daemon.awaitFirstReconcile(Duration.ofSeconds(60));
      // The trials measure the daemon as it runs, not while it warms up: the first seconds after
      // a start, before the change rehearsal ended, are reported on their own line.
      warmUp = daemon.awaitWarmUp(Duration.ofSeconds(30))
          .map(at -> String.format(Locale.ROOT, "warm-up ended %d ms after the first reconcile",
              Duration.between(reconciled, at).toMillis()))
          .orElse("no warm-up line within 30 s: the trials start without it");
      BurstBench.awaitStamps(daemon, 1);
      trial(daemon, starts, false); // rises from UNKNOWN: the trials start from UP
      if (o != null) {
        o.awaitUp(Duration.ofSeconds(60));
        Thread.sleep(1000); // its first pass (the prefix announced) ends before the first trial
        o.pause();
      }
      // Trial by trial, ours then the original's, so both see the same load; the original is
      // stopped (SIGSTOP) during ours, so its timer's checks never run beside ours.
      for (int i = 0; i < trials; i++) {
        for (boolean broken : new boolean[] {true, false}) {
          double[] t = trial(daemon, starts, broken);
          ours.add(t[0]);
          parts.add(t);
          if (o != null) {
            o.resume();
            theirs.add(originalTrial(o, side.starts(), broken,
                broken ? params.fall() : params.rise()));
            o.pause();
          }
        }
      }
      fsyncRule = fsyncRule(daemon.log()); // logged at the first write, a trial's
    } finally {
      if (side != null) {
        side.close();
      }
    }
    Stats limit = new Stats(limit(dir.resolve("limit.log")));
    Stats path = new Stats(ours);
    String p = params.describe() + ", bird_reconfigure_cmd = reconf … birdc -s … configure, "
        + trials + " fails + " + trials + " recoveries, p50/p95/max ms";
    table.info("command path: the daemon's warm-up before the trials", "change rehearsal,"
        + " rounds paced by the JIT", warmUp);
    table.info("command path: the prefix file's fsync rule (the daemon's own line)",
        "decides whether a data fsync lies on the path", fsyncRule);
    table.info("command path: check end → reconfigure command started", p, path.summary());
    table.info("command path, change by change (ms, in order: fail, recovery, …; each as status"
        + " logged + prefix file written + command started)", p, parts.stream()
        .map(t -> String.format(Locale.ROOT, "%.1f (%.1f+%.1f+%.1f)", t[0], t[1], t[2], t[3]))
        .collect(Collectors.joining(" ")));
    table.info("limit: C posix_spawn(SETSID) → the same command's main()",
        LIMIT_SPAWNS + " spawns, same run", limit.summary());
    table.info("command path as a ratio of the limit", p, String.format(Locale.ROOT,
        "p50 %.1f×, p95 %.1f×", path.p(50) / limit.p(50), path.p(95) / limit.p(95)));
    table.info("command path: where the time goes (mean ms)", p + ", log times ±0.5 ms",
        String.format(Locale.ROOT, "check end → status logged %.2f; → prefix file written (incl."
            + " data fsync and rename) %.2f; → command started %.2f",
            mean(parts, 1), mean(parts, 2), mean(parts, 3)));
    if (theirs == null) {
      return;
    }
    Stats orig = new Stats(theirs.stream().map(t -> t[0]).toList());
    String q = originalParams + ", same check, same bird_reconfigure_cmd, " + trials + " fails + "
        + trials + " recoveries, p50/p95/max ms";
    table.info("original: check end → reconfigure command started", q, orig.summary());
    table.info("original: command path as a ratio of the limit", q, String.format(Locale.ROOT,
        "p50 %.1f×, p95 %.1f×", orig.p(50) / limit.p(50), orig.p(95) / limit.p(95)));
    table.info("ours ÷ original (command path)", "same run, same limit", String.format(
        Locale.ROOT, "p50 %.2f, p95 %.2f (ours %.1f/%.1f ms, original %.1f/%.1f ms, limit"
            + " %.1f/%.1f ms)", path.p(50) / orig.p(50), path.p(95) / orig.p(95), path.p(50),
        path.p(95), orig.p(50), orig.p(95), limit.p(50), limit.p(95)));
    table.info("original: where the time goes (mean ms)", q + ", log times ±0.5 ms",
        String.format(Locale.ROOT, "check end → status logged %.2f; → taken from the queue"
            + " %.2f; → prefix file renamed (no fsync) %.2f; → \"reconfiguring BIRD\" logged %.2f;"
            + " → command started %.2f", mean(theirs, 1), mean(theirs, 2), mean(theirs, 3),
            mean(theirs, 4), mean(theirs, 5)));
  }

  private String originalParams = "";
  private String fsyncRule = "";

  /**
   * Returns what the daemon logged of its prefix file's filesystem: whether the data fsync comes
   * before the rename (on the way to BIRD) or after BIRD was told.
   */
  private static String fsyncRule(Path log) throws java.io.IOException {
    for (String line : Files.readAllLines(log)) {
      int at = line.indexOf(": its filesystem ");
      if (at >= 0) {
        return line.substring(at + 2);
      }
    }
    return "not logged";
  }
  private String warmUp = "";

  private static double mean(List<double[]> rows, int i) {
    return rows.stream().mapToDouble(t -> t[i]).average().orElse(Double.NaN);
  }

  /** The original's side of the run: its directory, namespace and how to start it. */
  private record Side(Env env, Path dir, Path original, String python,
      String netns, DaemonRun.Params params, String command, Path starts, Path prefixFile)
      implements AutoCloseable {
    OriginalRun start() throws Exception {
      Env.run("ip", "netns", "add", netns);
      Env.run("ip", "-n", netns, "link", "set", "lo", "up");
      return OriginalRun.start(env, dir, original, python, netns, prefixFile, params,
          ORIGINAL_INTERVAL, command);
    }

    @Override
    public void close() throws Exception {
      Env.run("sh", "-c", "ip netns del " + netns + " 2>/dev/null || true");
    }
  }

  /**
   * Prepares the Python original's side: the same one service, check program, rise/fall,
   * reconfigure command wrapper (its own start log) and number of trials, on the same testbed;
   * in a network namespace of its own (its single-instance lock is the same abstract socket as
   * ours, per namespace), with a prefix file of its own beside the testbed's (both daemons run at
   * once, and each would undo the other's change in a shared one; BIRD does not read it, so its
   * {@code configure} changes nothing there — after the measured point); driven by its own timer
   * ({@link #ORIGINAL_INTERVAL}).
   */
  private Side original(Path dir, DaemonRun.Params params) throws Exception {
    OriginalRun.Interpreter py = OriginalRun.probe(original, python);
    Path odir = dir.resolve("original");
    Files.createDirectories(odir);
    Path starts = odir.resolve("starts.log");
    String command = reconf() + " " + starts + " /usr/sbin/birdc -s " + bed.nodeSocket()
        + " configure";
    originalParams = String.format(Locale.ROOT, "Python original %s (%s, Python %s), N=%d"
        + " interval=%ss (its own timer, no run-now) timeout=%ss rise=%d fall=%d, own prefix"
        + " file beside the testbed's, trials interleaved with ours", py.originalVersion(),
        original, py.pythonVersion(), params.services(), ORIGINAL_INTERVAL,
        DaemonRun.Params.num(params.timeout()), params.rise(), params.fall());
    System.out.println("  original: " + originalParams + "; interpreter " + py.python()
        + " (load average " + Bench.loadavg() + ")");
    return new Side(env, odir, original, py.python(), env.netns() + "o", params, command,
        starts, bed.prefixFile().resolveSibling("original-prefixes.conf"));
  }

  /**
   * Breaks (or mends) the service and lets the original's timer run its check: the decisive check
   * is the {@code count}-th in a row that says the new state (a check in flight at the flip may
   * still say the old one). Returns ms from its end to the command's start, then five parts from
   * the original's log: status logged, operation taken from the queue, prefix file renamed,
   * "reconfiguring BIRD" logged, command started.
   */
  private static double[] originalTrial(OriginalRun o, Path starts, boolean broken, int count)
      throws Exception {
    long stampMark = Stamp.mark(o.stamps());
    long startMark = Stamp.mark(starts);
    o.broken(broken);
    int rc = broken ? 1 : 0;
    Instant decisive = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (decisive == null) {
      int inRow = 0;
      for (Stamp s : Stamp.read(o.stamps(), stampMark)) {
        inRow = s.exitCode() == rc ? inRow + 1 : 0;
        if (inRow == count) {
          decisive = s.at();
          break;
        }
      }
      if (decisive == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the original's check did not run");
        }
        Thread.sleep(1);
      }
    }
    Instant started = awaitStart(starts, startMark);
    if (started.isBefore(decisive)) {
      throw new IllegalStateException("the original's command started before the decisive check");
    }
    Thread.sleep(300); // the pass ends (birdc) and its lines are logged before they are read
    Instant logged = lastBefore(o.log(), broken ? "status DOWN" : "status UP", started);
    Instant taken = lastBefore(o.log(), "returned an item from the queue", started);
    Instant renamed = lastBefore(o.log(), "Bird configuration for IPv4 is updated", started);
    Instant running = lastBefore(o.log(), "reconfiguring BIRD by running", started);
    return new double[] {Event.ms(decisive, started), Event.ms(decisive, logged),
        Event.ms(logged, taken), Event.ms(taken, renamed), Event.ms(renamed, running),
        Event.ms(running, started)};
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
      // The stamp is written just before the check exits: a SIGURG sent on seeing it can reach
      // the daemon while that check still counts as running, and is then not a new run. Send
      // it again while no new stamp came (a third check says the same and changes nothing).
      List<Stamp> s;
      int tries = 0;
      do {
        if (++tries > 40) {
          throw new IllegalStateException("check did not run");
        }
        daemon.runAllNow();
      } while ((s = awaitStamps(daemon.stamps(), stampMark, run, Duration.ofMillis(250)))
          == null);
      decisive = s.get(run - 1).at();
    }
    Instant started = awaitStart(starts, startMark);
    Thread.sleep(300); // the pass ends (birdc, wake-up) before the next trial; nothing waits on it
    Instant logged = lastBefore(daemon.log(), "status changed", started);
    Instant written = lastBefore(daemon.log(), "wrote ", started);
    return new double[] {Event.ms(decisive, started), Event.ms(decisive, logged),
        Event.ms(logged, written), Event.ms(written, started)};
  }

  /** Returns the stamps after {@code mark} once there are n, or null after {@code timeout}. */
  private static List<Stamp> awaitStamps(Path log, long mark, int n, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Stamp> s;
    while ((s = Stamp.read(log, mark)).size() < n) {
      if (System.nanoTime() > deadline) {
        return null;
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
