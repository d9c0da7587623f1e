package net.anycast.healthchecker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.anycast.healthchecker.bird.BenchTestbed;

/**
 * The benchmark suite of issue 6 (run by {@code bin/bench}; not part of the test run). Needs root,
 * BIRD 2 and gcc. Prints each figure as it is measured, then a table with every parameter and
 * PASS/FAIL next to each target.
 *
 * <p>Options: {@code --quick} (fewer trials, shorter windows), {@code --only=spawn,burst,overhead,
 * steady,footprint,exec,builtin,birdc-burst,command}, {@code --keep} (leave the working directory
 * for inspection),
 * {@code --work-base=DIR} (where the working directory and the prefix file go; default /tmp),
 * {@code --daemon-opts=JVM-OPTIONS} (instead of the launcher's, except for the footprint
 * measure), {@code --steady-n=N} (one steady-state size only), {@code --builtin-n=TCP,HTTP}
 * (the sizes of the built-in measure), {@code --original=DIR} (the command-path measure also runs
 * the Python original from DIR, side by side; {@code -Dbench.python=PATH}, default python3),
 * {@code --command-trials=N} (fails and recoveries of the command-path measure; default 10, 5
 * with --quick: more trials give a steadier median on a noisy machine).
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    boolean quick = a.contains("--quick");
    Set<String> only = a.stream().filter(s -> s.startsWith("--only=")).findFirst()
        .map(s -> Set.of(s.substring(7).split(",")))
        .orElse(Set.of("spawn", "burst", "overhead", "steady", "footprint", "exec", "builtin",
            "birdc-burst", "command", "fleet"));
    Path bin = Path.of(System.getProperty("bench.bin", "target/bench")).toAbsolutePath();
    // --work-base=/dev/shm puts the prefix file on tmpfs: fsync is then free (to tell its cost).
    Path base = Path.of(a.stream().filter(s -> s.startsWith("--work-base=")).findFirst()
        .map(s -> s.substring(12)).orElse(System.getProperty("java.io.tmpdir")));
    Path work = Files.createTempDirectory(base, "ahc-bench-");
    String netns = "ahcb-" + Long.toString(ProcessHandle.current().pid(), 36);
    Env env = new Env(work, bin.resolve("stamp"), bin.resolve("spawnloop"),
        bin.resolve("localservers"),
        Path.of("bin/anycast-healthchecker").toAbsolutePath(),
        Path.of("target/anycast-healthchecker.jar").toAbsolutePath(),
        Path.of(System.getProperty("java.home")), netns,
        Long.parseLong(Env.run("getconf", "CLK_TCK").strip()));

    // --daemon-opts=... replaces the launcher's JVM options for burst, overhead and steady (for
    // a JFR recording, say); --steady-n=1000 runs one steady size only.
    String daemonOpts = a.stream().filter(s -> s.startsWith("--daemon-opts=")).findFirst()
        .map(s -> s.substring(14)).orElse(null);
    int[] steadyNs = a.stream().filter(s -> s.startsWith("--steady-n=")).findFirst()
        .map(s -> new int[] {Integer.parseInt(s.substring(11))}).orElse(new int[] {100, 1000, 3000});
    // --builtin-n=TCP,HTTP: the built-in measure's sizes (issue 12's are 10,000 and 5,000).
    int[] builtinN = a.stream().filter(x -> x.startsWith("--builtin-n=")).findFirst()
        .map(x -> java.util.Arrays.stream(x.substring(12).split(","))
            .mapToInt(Integer::parseInt).toArray())
        .orElse(new int[] {10_000, 5_000});
    // --original=DIR: the command-path measure runs the Python original (DIR holds its package
    // anycast_healthchecker/) side by side in the same run; -Dbench.python=PATH (default python3).
    Path original = a.stream().filter(s -> s.startsWith("--original=")).findFirst()
        .map(s -> Path.of(s.substring(11)).toAbsolutePath()).orElse(null);
    int burstTrials = quick ? 2 : 5;
    int overheadTrials = 20;
    Duration warmup = Duration.ofSeconds(quick ? 5 : 10);
    Duration window = Duration.ofSeconds(quick ? 15 : 30);
    int footprintRuns = quick ? 1 : 2;
    int spawns = 2000;
    long t0 = System.nanoTime();
    System.out.println("anycast-healthchecker benchmark (issue 6)");
    System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, "
        + cpuModel() + ", kernel " + Env.run("uname", "-r").strip() + ", load average at start "
        + loadavg());
    System.out.println("JDK " + System.getProperty("java.version") + "; "
        + Env.run("/usr/sbin/bird", "--version").strip() + "; work dir " + work);
    System.out.printf(Locale.ROOT, "parameters: burst N=1,100,1000 × %d trials; overhead %d trials;"
        + " steady N=100,1000,3000 interval 1 s, warm-up %d s, window %d s; footprint N=1000 ×"
        + " %d runs; spawn limit %d spawns%n", burstTrials, overheadTrials, warmup.toSeconds(),
        window.toSeconds(), footprintRuns, spawns);

    Table table = new Table();
    Env.run("ip", "netns", "add", netns);
    try {
      Env.run("ip", "-n", netns, "link", "set", "lo", "up");
      if (only.contains("spawn")) {
        measure(table, "spawn limit", () -> {
          var direct = SpawnLimit.measure(env, spawns, false);
          var setsid = SpawnLimit.measure(env, spawns, true);
          table.info("limit: posix_spawn(SETSID)+waitpid of stamp (1 exec)", spawns + " spawns, C",
              String.format(Locale.ROOT, "%.3f ms CPU, %.3f ms wall per spawn", direct.cpuMs(),
                  direct.wallMs()));
          table.info("limit: posix_spawn+waitpid of setsid stamp (2 execs)", spawns + " spawns, C",
              String.format(Locale.ROOT, "%.3f ms CPU, %.3f ms wall per spawn", setsid.cpuMs(),
                  setsid.wallMs()));
        });
      }
      try (BenchTestbed bed = BenchTestbed.start(work.resolve("bed"), Env.prefixes(3000))) {
        if (only.contains("burst")) {
          BurstBench burst = new BurstBench(env, bed, table, burstTrials, daemonOpts);
          for (int n : new int[] {1, 100, 1000}) {
            measure(table, "burst N=" + n, () -> burst.run(n));
          }
        }
        if (only.contains("overhead")) {
          measure(table, "decision overhead",
              () -> new OverheadBench(env, bed, table, overheadTrials, daemonOpts).run());
        }
        if (only.contains("command")) {
          int commandTrials = a.stream().filter(s -> s.startsWith("--command-trials="))
              .findFirst().map(s -> Integer.parseInt(s.substring("--command-trials=".length())))
              .orElse(quick ? 5 : 10);
          measure(table, "command path", () -> new CommandPathBench(env, bed, table,
              commandTrials, daemonOpts, original, System.getProperty("bench.python", "python3"))
              .run());
        }
        if (only.contains("steady")) {
          SteadyBench steady = new SteadyBench(env, bed, table, warmup, window, daemonOpts);
          for (int n : steadyNs) {
            measure(table, "steady N=" + n, () -> steady.run(n));
          }
        }
        // Issue 12: the exec path's own cost, then built-in checks against one exec check.
        ExecBench.Result execInfo = null;
        if (only.contains("exec") || only.contains("builtin")) {
          var limit = SpawnLimit.measure(env, spawns, false);
          table.info("limit: posix_spawn(SETSID)+waitpid of stamp (1 exec), for exec",
              spawns + " spawns, C", String.format(Locale.ROOT,
                  "%.3f ms CPU, %.3f ms wall per spawn; of it the loop's own CPU (the spawning"
                      + " side, without the child) %.3f ms", limit.cpuMs(), limit.wallMs(),
                  limit.parentMs()));
          ExecBench exec = new ExecBench(env, bed, table, warmup, window, daemonOpts);
          ExecBench.Result[] got = new ExecBench.Result[1];
          measure(table, "exec N=200 loglevel=info",
              () -> got[0] = exec.run(200, "info", limit));
          execInfo = got[0];
          if (only.contains("exec")) {
            measure(table, "exec N=200 loglevel=warning",
                () -> exec.run(200, "warning", limit));
          }
        }
        if (only.contains("builtin") && execInfo != null) {
          double execMs = execInfo.totalMsPerCheck();
          measure(table, "built-in checks", () -> new BuiltInBench(env, bed, table, warmup,
              window, daemonOpts).run(builtinN[0], builtinN[1], "warning", execMs));
        }
        if (only.contains("birdc-burst")) {
          measure(table, "birdc burst", () -> birdcBurst(table, work.resolve("birdc-burst"),
              quick ? 5 : 20));
        }
        if (only.contains("fleet")) {
          measure(table, "fleet valve", () -> fleet(table, work.resolve("fleet"),
              quick ? 5 : 20, Duration.ofSeconds(quick ? 10 : 30)));
        }
        if (only.contains("footprint")) {
          measure(table, "footprint", () ->
              new FootprintBench(env, bed, table, footprintRuns, Duration.ofSeconds(12)).run(1000));
        }
      }
    } finally {
      Env.run("ip", "netns", "del", netns);
    }
    System.out.println();
    table.print(System.out);
    System.out.printf(Locale.ROOT, "%nload average at end %s; took %.1f min; work dir %s%n",
        loadavg(), (System.nanoTime() - t0) / 60e9, work);
    if (!a.contains("--keep")) {
      Env.run("rm", "-rf", work.toString());
    }
  }

  /**
   * Issue 15's target with the default bird_reconfigure_cmd (birdc, no bird_socket): every burst
   * of 300 services at the peer ≤ 1 s after its last decisive check.
   */
  private static void birdcBurst(Table table, Path dir, int bursts) throws Exception {
    var r = net.anycast.healthchecker.daemon.BirdcBurstBench.run(dir, 300, bursts,
        Duration.ofSeconds(1), Duration.ofSeconds(1));
    long within = r.withinBound();
    table.target("birdc burst: last decisive check → peer exact",
        "N=300 interval=1s rise=1 fall=1, bird_reconfigure_cmd birdc -s … configure, " + bursts
            + " bursts (withdraw, announce alternately)",
        String.format(Locale.ROOT, "worst %d ms; %d of %d bursts ≤ 1 s", r.worst().toMillis(),
            within, bursts),
        "every burst ≤ 1 s", within == bursts);
  }

  /**
   * Issue 14's recorded run: {@code nodes} daemons against a 3-member etcd cluster, every check
   * failing at once; what the fleet settles on, how fast, and what it costs etcd.
   */
  private static void fleet(Table table, Path dir, int nodes, Duration window) throws Exception {
    var r = net.anycast.healthchecker.daemon.FleetBench.run(dir, nodes, 5, "30%",
        Duration.ofSeconds(10), window);
    String params = r.nodes() + " nodes × " + r.prefixes() + " services (one prefix each),"
        + " fleet_min_announcers = " + r.min() + " (floor " + r.floor() + "), lease TTL "
        + r.ttl().toSeconds() + " s, checks every 1 s, rise/fall 1, 3 etcd members";
    table.target("fleet: fleet-wide failure → settled at the floor (peers)", params,
        String.format(Locale.ROOT, "%d ms; announcers per prefix after: %s",
            r.settled().toMillis(), r.announcersAfter()),
        "exactly the floor announce every prefix", r.exact());
    table.info("fleet: recovery → every node announces (peers)", params,
        r.recovered().toMillis() + " ms");
    table.info("fleet: etcd requests per node per second", params + ", " + window.toSeconds()
        + " s windows", String.format(Locale.ROOT, "%.2f all healthy; %.2f while held",
        r.steadyRequestsPerNodeSecond(), r.heldRequestsPerNodeSecond()));
  }

  private interface Body {
    void run() throws Exception;
  }

  /** Runs one measure; a failure is a row of the table, and the other measures still run. */
  private static void measure(Table table, String name, Body body) {
    try {
      System.out.println(name + " (load average " + loadavg() + ")");
      body.run();
    } catch (Exception | AssertionError e) {
      System.out.println("  " + name + " failed: " + e);
      table.info(name, "", "ERROR: " + e.getMessage());
    }
  }

  static String loadavg() throws Exception {
    String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static String cpuModel() throws Exception {
    return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
        .filter(l -> l.startsWith("model name")).findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU")
        .replaceAll("\\s+", " ");
  }
}
