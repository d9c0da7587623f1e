package net.anycast.healthchecker.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.anycast.healthchecker.bird.BenchTestbed;

/**
 * Measure 4, footprint: start-up (from launching the launcher to the daemon's log saying the
 * first pass reconfigured BIRD) and RSS once every service has run its first check (services
 * every 10 s, the original's default, first checks splayed over 10 s), with 1,000 services, for the
 * launcher as it runs (its JVM options and the AOT cache that {@code bin/bench} trained first,
 * {@code anycast-healthchecker train-aot-cache}) and alternatives: the same options without the
 * cache, other compile thresholds, the JVM's defaults, and the heap settings before.
 */
final class FootprintBench {
  private static final double TARGET_START_MS = 1000;
  /** The original's default check_interval; splay spreads the first checks over it. */
  private static final double INTERVAL = 10;
  /** The launcher's default options (bin/anycast-healthchecker). */
  static final String LAUNCHER = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"
      + " -XX:CompileThresholdScaling=0.005 -Xss512k -Xms16m -Xmx128m -XX:+UseCompactObjectHeaders"
      + " -Djava.lang.invoke.MethodHandle.CUSTOMIZE_THRESHOLD=-1 -XX:SweeperThreshold=50";
  /** The launcher's options before methods were compiled sooner (issue 15's decision path). */
  static final String USUAL_THRESHOLDS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k"
      + " -Xms16m -Xmx128m -XX:+UseCompactObjectHeaders";
  /** The launcher's options before this benchmark (docs/benchmarks.md says why they changed). */
  static final String OLD_LAUNCHER = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

  /** A variant; {@code opts} null runs the launcher as it is, else with these options alone. */
  private record Variant(String name, String opts) {}

  private final Env env;
  private final BenchTestbed bed;
  private final Table table;
  private final int runs;
  private final Duration settle;

  FootprintBench(Env env, BenchTestbed bed, Table table, int runs, Duration settle) {
    this.env = env;
    this.bed = bed;
    this.table = table;
    this.runs = runs;
    this.settle = settle;
  }

  void run(int n) throws Exception {
    List<Variant> variants = List.of(
        new Variant("launcher (options and AOT cache)", null),
        new Variant("launcher options without the AOT cache", LAUNCHER),
        new Variant("launcher options at the usual compile thresholds", USUAL_THRESHOLDS),
        new Variant("launcher options at a twentieth of the usual compile thresholds (before)",
            USUAL_THRESHOLDS + " -XX:CompileThresholdScaling=0.05"),
        new Variant("launcher options, every method compiled at its first call",
            USUAL_THRESHOLDS + " -XX:CompileThresholdScaling=0.001"),
        new Variant("JVM defaults (G1, C2)", "-Xshare:auto"),
        new Variant("old launcher options", OLD_LAUNCHER),
        new Variant("old launcher options + small fixed heap", OLD_LAUNCHER
            + " -Xmx64m -XX:+UseCompactObjectHeaders"));
    for (Variant v : variants) {
      System.out.println("  footprint: " + v.name() + " …");
      String opts = v.opts();
      List<Double> start = new ArrayList<>();
      List<Double> rss = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        var params = new DaemonRun.Params(n, INTERVAL, 2, 2, 2, INTERVAL, opts);
        Path dir = env.work().resolve("footprint-" + Integer.toHexString(v.name().hashCode()) + "-" + i);
        try (DaemonRun d = DaemonRun.start(env, bed, dir, params)) {
          start.add(Event.ms(d.launched, d.awaitFirstReconcile(Duration.ofSeconds(60))));
          Thread.sleep(settle.toMillis());
          rss.add(d.rssMib());
        }
      }
      Stats s = new Stats(start);
      Stats r = new Stats(rss);
      String params = "N=" + n + " interval=10s splay=10s, JVM options: "
          + (opts == null ? LAUNCHER + " + the AOT cache" : opts)
          + ", " + runs + " runs, median (max)";
      String value = String.format(Locale.ROOT,
          "start → first reconcile %.0f ms (%.0f); RSS %.0f MiB (%.0f) %d s after it",
          s.p(50), s.max(), r.p(50), r.max(), settle.toSeconds());
      table.target("footprint: " + v.name(), params, value, "start ≤ 1 s, RSS ≤ 128 MB",
          s.p(50) <= TARGET_START_MS && r.p(50) * 1.048576 <= 128);
    }
  }
}
