package net.anycast.healthchecker.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.anycast.healthchecker.bird.BenchTestbed;

/**
 * Measure 3, steady state: N services, each running the tiny {@code stamp} every second with
 * start-up splay over one interval. Over a window after a warm-up: the fraction of scheduled
 * slots whose check ran, lateness of each run after its slot (slot k of a service is at
 * {@code t0 + delay + k·interval}: t0 is the first "loading check for" line, since every loop
 * starts from one clock reading, and delay is read from "delaying startup for"), CPU of the JVM and its reaped children from /proc, RSS and
 * threads (maximum of one sample per second).
 */
final class SteadyBench {
  private static final double TARGET_ON_TIME = 0.995;
  private static final double TARGET_P99_MS = 100;
  private static final Pattern DELAY =
      Pattern.compile("^\\S+ +\\S+ +(\\S+) +delaying startup for ([0-9.]+)secs");
  private static final Pattern LOADING = Pattern.compile("^\\S+ +\\S+ +\\S+ +loading check for (\\S+)");

  /** What one run measured, also used by the footprint measure. */
  record Result(double onTime, Stats lateness, double cpuSecondsPerMinute, double jvmShare,
      double cpuMsPerCheck, double rssMib, long threads, long runs) {}

  private final Env env;
  private final BenchTestbed bed;
  private final Table table;
  private final Duration warmup;
  private final Duration window;
  private final String javaOpts;

  SteadyBench(Env env, BenchTestbed bed, Table table, Duration warmup, Duration window,
      String javaOpts) {
    this.env = env;
    this.bed = bed;
    this.table = table;
    this.warmup = warmup;
    this.window = window;
    this.javaOpts = javaOpts;
  }

  Result run(int n) throws Exception {
    var params = new DaemonRun.Params(n, 1, 1, 2, 2, 1, javaOpts);
    Result r;
    try (DaemonRun daemon = DaemonRun.start(env, bed, env.work().resolve("steady-" + n), params)) {
      daemon.awaitFirstReconcile(Duration.ofSeconds(60));
      Thread.sleep(warmup.toMillis());
      Instant a = Instant.now();
      DaemonRun.Cpu cpu0 = daemon.cpu();
      double rss = 0;
      long threads = 0;
      for (long i = 0; i < window.toSeconds(); i++) {
        Thread.sleep(1000);
        rss = Math.max(rss, daemon.rssMib());
        threads = Math.max(threads, daemon.threads());
      }
      DaemonRun.Cpu cpu = daemon.cpu().minus(cpu0);
      Instant b = Instant.now();
      r = analyse(daemon, n, params.interval(), a, b, cpu, rss, threads);
    }
    String p = params.describe() + ", warm-up " + warmup.toSeconds() + " s, window "
        + window.toSeconds() + " s";
    String value = String.format(Locale.ROOT,
        "%.2f %% of slots ran; lateness p50 %.1f ms, p99 %.1f ms, max %.1f ms; CPU %.1f s/min"
            + " (%.0f %% in the JVM, the rest in check processes; %.2f ms per check);"
            + " RSS %.0f MiB; %d threads",
        r.onTime() * 100, r.lateness().p(50), r.lateness().p(99), r.lateness().max(),
        r.cpuSecondsPerMinute(), r.jvmShare() * 100, r.cpuMsPerCheck(), r.rssMib(), r.threads());
    if (n == 1000) {
      table.target("steady state", p, value, "≥ 99.5 % on time, p99 ≤ 100 ms",
          r.onTime() >= TARGET_ON_TIME && r.lateness().p(99) <= TARGET_P99_MS);
      // The RSS target is judged by the footprint measure (RSS after start); this is RSS while
      // the machine cannot keep up, for the record.
      table.info("RSS with 1,000 services checked every second", p,
          String.format(Locale.ROOT, "%.0f MiB (max of one sample per second)", r.rssMib()));
    } else {
      table.info("steady state", p, value);
    }
    return r;
  }

  private Result analyse(DaemonRun daemon, int n, double interval, Instant a, Instant b,
      DaemonRun.Cpu cpu, double rss, long threads) throws IOException {
    Map<String, Instant> slot0 = slotZero(daemon.log(), n);
    long step = (long) (interval * 1e9);
    // Slots whose time is at least one interval before the window's end, so their run is in it.
    Instant end = b.minusNanos(step);
    long expected = 0;
    for (Instant s0 : slot0.values()) {
      expected += slotsIn(s0, step, a, end);
    }
    List<Double> late = new ArrayList<>();
    long runsInWindow = 0;
    for (Stamp s : Stamp.read(daemon.stamps(), 0)) {
      if (s.at().isBefore(a) || !s.at().isBefore(b)) {
        continue;
      }
      runsInWindow++;
      Instant s0 = slot0.get(s.service());
      long since = Duration.between(s0, s.at()).toNanos();
      Instant slot = s0.plusNanos(Math.floorDiv(since, step) * step);
      if (!slot.isBefore(a) && slot.isBefore(end)) {
        late.add(Duration.between(slot, s.at()).toNanos() / 1e6);
      }
    }
    double seconds = Duration.between(a, b).toNanos() / 1e9;
    Duration total = cpu.total();
    return new Result((double) late.size() / expected, new Stats(late),
        total.toNanos() / 1e9 / seconds * 60,
        (double) cpu.jvm().toNanos() / Math.max(1, total.toNanos()),
        total.toNanos() / 1e6 / Math.max(1, runsInWindow), rss, threads, runsInWindow);
  }

  private static long slotsIn(Instant s0, long step, Instant from, Instant to) {
    long first = Math.max(0, ceilDiv(Duration.between(s0, from).toNanos(), step));
    long last = ceilDiv(Duration.between(s0, to).toNanos(), step) - 1; // slots before `to`
    return Math.max(0, last - first + 1);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** Returns each service's slot 0: when the loops started plus its splay delay. */
  private static Map<String, Instant> slotZero(Path log, int n) throws IOException {
    Map<String, Instant> loaded = new HashMap<>();
    Map<String, Double> delay = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(log)) {
      String line;
      int after = 0;
      while ((line = in.readLine()) != null && after < 50) {
        if (loaded.size() == n) {
          after++;
        }
        if (line.length() < 24) {
          continue;
        }
        String text = line.substring(24);
        Matcher m = LOADING.matcher(text);
        if (m.find()) {
          loaded.put(m.group(1), LogTimes.daemonTime(line.substring(0, 23)));
        }
        Matcher d = DELAY.matcher(text);
        if (d.find()) {
          delay.put(d.group(1), Double.parseDouble(d.group(2)));
        }
      }
    }
    // The daemon reads the clock once and starts every loop from that instant (ServiceLoops),
    // then logs "loading check for" service by service: the first line is the common start
    // (within a millisecond); later lines only say when the log got to that service.
    Instant start = loaded.values().stream().min(Instant::compareTo).orElseThrow();
    Map<String, Instant> out = new HashMap<>();
    loaded.keySet().forEach(s -> out.put(s,
        start.plusNanos((long) (delay.getOrDefault(s, 0.0) * 1e9))));
    return out;
  }
}
