package net.anycast.healthchecker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import net.anycast.healthchecker.bird.BenchTestbed;

/**
 * Built-in checks at scale (issue 12): {@code tcp} services with a TCP check and {@code http}
 * services with an HTTP check, every second, against {@code localservers} (a C program in the
 * daemon's namespace: a TCP port that accepts and closes, an HTTP/1.1 port answering 200 on
 * kept-alive connections, both counting what they served). Over a window after a warm-up: the
 * fraction of slots served (connections and requests the servers counted, against services ×
 * seconds), the CPU of the daemon per check as a ratio of one exec check's whole CPU measured in
 * the same run, and RSS (maximum of one sample per second).
 */
final class BuiltInBench {
  static final double TARGET_ON_TIME = 0.995;
  static final double TARGET_CPU_FRACTION = 1.0 / 20;
  static final double TARGET_RSS_MB = 256;
  private static final int TCP_PORT = 7000;
  private static final int HTTP_PORT = 8000;

  private final Env env;
  private final BenchTestbed bed;
  private final Table table;
  private final Duration warmup;
  private final Duration window;
  private final String javaOpts;

  BuiltInBench(Env env, BenchTestbed bed, Table table, Duration warmup, Duration window,
      String javaOpts) {
    this.env = env;
    this.bed = bed;
    this.table = table;
    this.warmup = warmup;
    this.window = window;
    this.javaOpts = javaOpts;
  }

  /** Counts the servers wrote: when (monotonic ns), TCP accepts, HTTP replies. */
  private record Counts(long at, long tcp, long http) {
    static Counts read(Path file) throws Exception {
      for (int i = 0; i < 100; i++) {
        String[] f = Files.readString(file).strip().split(" ");
        if (f.length == 3) {
          return new Counts(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
        }
        Thread.sleep(2); // caught between truncate and write
      }
      throw new IllegalStateException("cannot read " + file);
    }
  }

  void run(int tcp, int http, String loglevel, double execCheckMs) throws Exception {
    int n = tcp + http;
    Path dir = env.work().resolve("builtin-" + n);
    Files.createDirectories(dir);
    Path counts = dir.resolve("counts");
    // 10,000 connections a second from one address to one port: widen the namespace's port
    // range and reuse TIME_WAIT ports, or connect runs out of source ports within seconds.
    Env.run("ip", "netns", "exec", env.netns(), "sysctl", "-q", "-w",
        "net.ipv4.ip_local_port_range=1024 65000", "net.ipv4.tcp_tw_reuse=1");
    Process servers = new ProcessBuilder(List.of("ip", "netns", "exec", env.netns(),
        env.localservers().toString(), Integer.toString(TCP_PORT), Integer.toString(HTTP_PORT),
        counts.toString())).redirectErrorStream(true)
        .redirectOutput(dir.resolve("servers.out").toFile()).start();
    var params = new DaemonRun.Params(n, 1, 1, 2, 2, 1, javaOpts);
    double rss = 0;
    DaemonRun.Cpu cpu;
    Counts a;
    Counts b;
    int up;
    try (DaemonRun daemon = DaemonRun.start(env, bed, dir, params, bed.nodeSocket(), loglevel,
        i -> i < tcp ? "check_tcp_address = 127.0.0.1:" + TCP_PORT + "\n"
            : "check_http_url = http://127.0.0.1:" + HTTP_PORT + "/health\n")) {
      // Most of them up (the TCP ones at least): the loops run; whether all stay up is judged
      // at the end of the window.
      ExecBench.awaitAnnounced(bed, tcp, Duration.ofSeconds(120));
      Thread.sleep(warmup.toMillis());
      DaemonRun.Cpu cpu0 = daemon.cpu();
      a = Counts.read(counts);
      for (long i = 0; i < window.toSeconds(); i++) {
        Thread.sleep(1000);
        rss = Math.max(rss, daemon.rssMib());
      }
      cpu = daemon.cpu().minus(cpu0);
      b = Counts.read(counts);
      up = ExecBench.announced(bed);
    } finally {
      servers.destroy();
      if (!servers.waitFor(10, TimeUnit.SECONDS)) {
        servers.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    double seconds = (b.at() - a.at()) / 1e9;
    double tcpOnTime = (b.tcp() - a.tcp()) / (tcp * seconds);
    double httpOnTime = (b.http() - a.http()) / (http * seconds);
    long checks = (b.tcp() - a.tcp()) + (b.http() - a.http());
    double msPerCheck = cpu.total().toNanos() / 1e6 / checks;
    double ratio = msPerCheck / execCheckMs;
    String p = String.format(Locale.ROOT, "%d TCP + %d HTTP services, interval=1s timeout=1s"
        + " rise=2 fall=2 splay=1s, loglevel = %s, warm-up %d s, window %d s%s", tcp, http,
        loglevel, warmup.toSeconds(), window.toSeconds(),
        javaOpts == null ? "" : ", JVM options " + javaOpts);
    table.target("built-in checks: slots served", p, String.format(Locale.ROOT,
        "TCP %.2f %%, HTTP %.2f %% of services × seconds; %d of %d services announced at the end",
        tcpOnTime * 100, httpOnTime * 100, up, n), "≥ 99.5 % each",
        Math.min(tcpOnTime, httpOnTime) >= TARGET_ON_TIME && up == n);
    table.target("built-in checks: daemon CPU per check", p, String.format(Locale.ROOT,
        "%.4f ms per check (%.1f s of CPU per minute for %d checks/s); one exec check of this run"
            + " %.3f ms; ratio %.4f (1/%.0f)", msPerCheck, cpu.total().toNanos() / 1e9 / seconds
            * 60, Math.round(checks / seconds), execCheckMs, ratio, 1 / ratio),
        "≤ 1/20 of one exec check", ratio <= TARGET_CPU_FRACTION);
    table.target("built-in checks: RSS", p, String.format(Locale.ROOT, "%.0f MiB (max of one"
        + " sample per second)", rss), "≤ 256 MB", rss * 1024 * 1024 <= TARGET_RSS_MB * 1e6);
  }
}
