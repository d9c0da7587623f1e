package net.anycast.healthchecker.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.anycast.healthchecker.bird.BenchTestbed;

/**
 * The exec path's own cost (issue 12): N services running {@code stamp} every second, at
 * {@code loglevel = info} and at {@code warning}. Over a window after a warm-up: the CPU of the
 * daemon's JVM alone (its threads: spawning, watching children, logging, scheduling) per check,
 * as a ratio of the C loop's CPU per posix_spawn + waitpid of the same program measured in the
 * same run; and the whole CPU per check (JVM plus the check processes), which the built-in
 * measure compares itself with.
 */
final class ExecBench {
  static final double TARGET_RATIO = 0.15;
  private static final Pattern PREFIX = Pattern.compile("10\\.1\\.[0-9]+\\.[0-9]+/32");

  /** What one run measured. */
  record Result(String loglevel, double jvmMsPerCheck, double totalMsPerCheck, long runs,
      double onTime, double userShare) {}

  private final Env env;
  private final BenchTestbed bed;
  private final Table table;
  private final Duration warmup;
  private final Duration window;
  private final String javaOpts;

  ExecBench(Env env, BenchTestbed bed, Table table, Duration warmup, Duration window,
      String javaOpts) {
    this.env = env;
    this.bed = bed;
    this.table = table;
    this.warmup = warmup;
    this.window = window;
    this.javaOpts = javaOpts;
  }

  /** Runs N services at {@code loglevel}; {@code limit} is the C loop of this run. */
  Result run(int n, String loglevel, SpawnLimit.PerSpawn limit) throws Exception {
    double spawnCpuMs = limit.cpuMs();
    var params = new DaemonRun.Params(n, 1, 1, 2, 2, 1, javaOpts);
    var dir = env.work().resolve("exec-" + loglevel + "-" + n);
    Result r;
    try (DaemonRun daemon = DaemonRun.start(env, bed, dir, params, bed.nodeSocket(), loglevel,
        i -> "check_cmd = " + env.stamp() + ' ' + DaemonRun.stamps(dir) + ' ' + Env.service(i)
            + ' ' + DaemonRun.flag(dir) + '\n')) {
      awaitAnnounced(bed, n, Duration.ofSeconds(120));
      Thread.sleep(warmup.toMillis());
      Instant a = Instant.now();
      DaemonRun.Cpu cpu0 = daemon.cpu();
      long[] split0 = daemon.userSystem();
      Thread.sleep(window.toMillis());
      DaemonRun.Cpu cpu = daemon.cpu().minus(cpu0);
      long[] split = daemon.userSystem();
      Instant b = Instant.now();
      long runs = Stamp.read(daemon.stamps(), 0).stream()
          .filter(s -> !s.at().isBefore(a) && s.at().isBefore(b)).count();
      double seconds = Duration.between(a, b).toNanos() / 1e9;
      long user = split[0] - split0[0];
      long sys = split[1] - split0[1];
      r = new Result(loglevel, cpu.jvm().toNanos() / 1e6 / runs,
          cpu.total().toNanos() / 1e6 / runs, runs, runs / (n * seconds),
          (double) user / Math.max(1, user + sys));
    }
    String p = params.describe() + ", loglevel = " + loglevel + ", warm-up "
        + warmup.toSeconds() + " s, window " + window.toSeconds() + " s";
    double ratio = r.jvmMsPerCheck() / spawnCpuMs;
    table.target("exec: the daemon's own CPU per check", p, String.format(Locale.ROOT,
        "%.3f ms in the JVM per check (%.0f %% user, the rest system), ratio %.2f to the C"
            + " spawn limit of %.3f ms (%.1f × the C loop's own %.3f ms); %.3f ms per check with"
            + " the check process; %d checks, %.1f %% of slots", r.jvmMsPerCheck(),
        r.userShare() * 100, ratio, spawnCpuMs, r.jvmMsPerCheck() / limit.parentMs(),
        limit.parentMs(), r.totalMsPerCheck(), r.runs(), r.onTime() * 100),
        "≤ " + TARGET_RATIO + " × spawn limit", ratio <= TARGET_RATIO);
    return r;
  }

  /** Waits until the prefix file announces at least {@code n} prefixes. */
  static void awaitAnnounced(BenchTestbed bed, int n, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      seen = announced(bed);
      if (seen >= n) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("only " + seen + " of " + n + " prefixes announced after "
        + timeout.toSeconds() + " s");
  }

  /** Returns how many bench prefixes the prefix file announces. */
  static int announced(BenchTestbed bed) throws Exception {
    Matcher m = PREFIX.matcher(Files.readString(bed.prefixFile()));
    int count = 0;
    while (m.find()) {
      count++;
    }
    return count;
  }
}
