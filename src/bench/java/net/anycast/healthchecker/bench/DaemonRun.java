package net.anycast.healthchecker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.anycast.healthchecker.bird.BenchTestbed;

/**
 * The daemon under test: started through the launcher ({@code bin/anycast-healthchecker}, so
 * with its JVM options unless {@code javaOpts} replaces them), in a network namespace of the
 * benchmark's own (the daemon's single-instance lock is per namespace, so it never meets a
 * daemon someone else runs on this machine), with N services checked by {@code stamp}.
 */
final class DaemonRun implements AutoCloseable {
  /** What the daemon runs with. */
  record Params(int services, double interval, double timeout, int rise, int fall,
      double splay, String javaOpts) {
    String describe() {
      return String.format(Locale.ROOT, "N=%d interval=%ss timeout=%ss rise=%d fall=%d splay=%ss",
          services, num(interval), num(timeout), rise, fall, num(splay))
          + (javaOpts == null ? "" : ", JVM options " + javaOpts);
    }

    static String num(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
  }

  private final Env env;
  private final Path dir;
  private final Process process;
  final Instant launched;

  private DaemonRun(Env env, Path dir, Process process, Instant launched) {
    this.env = env;
    this.dir = dir;
    this.process = process;
    this.launched = launched;
  }

  /** Writes the configuration into a fresh {@code dir} and starts the daemon. */
  static DaemonRun start(Env env, BenchTestbed bed, Path dir, Params p) throws IOException {
    return start(env, bed, dir, p, bed.nodeSocket());
  }

  /** Like {@link #start(Env, BenchTestbed, Path, Params)}, with {@code bird_socket} given. */
  static DaemonRun start(Env env, BenchTestbed bed, Path dir, Params p, Path birdSocket)
      throws IOException {
    return start(env, bed, dir, p, "bird_socket = " + birdSocket, "info", stampCheck(env, dir));
  }

  /** Like {@link #start(Env, BenchTestbed, Path, Params)}, told BIRD by {@code command}. */
  static DaemonRun startWithCommand(Env env, BenchTestbed bed, Path dir, Params p, String command)
      throws IOException {
    return start(env, bed, dir, p, "bird_reconfigure_cmd = " + command, "info",
        stampCheck(env, dir));
  }

  /**
   * Like {@link #start(Env, BenchTestbed, Path, Params)}, at {@code loglevel}, with the check
   * lines of service i from {@code checkOf}.
   */
  static DaemonRun start(Env env, BenchTestbed bed, Path dir, Params p, Path birdSocket,
      String loglevel, java.util.function.IntFunction<String> checkOf) throws IOException {
    return start(env, bed, dir, p, "bird_socket = " + birdSocket, loglevel, checkOf);
  }

  /** The check of service i that stamps each run (and fails while the flag exists). */
  static java.util.function.IntFunction<String> stampCheck(Env env, Path dir) {
    return i -> "check_cmd = " + env.stamp() + ' ' + stamps(dir) + ' ' + Env.service(i) + ' '
        + flag(dir) + '\n';
  }

  /**
   * Writes the configuration with {@code birdLine} (how BIRD is told) and the check lines of
   * {@code checkOf}, and starts the daemon.
   */
  private static DaemonRun start(Env env, BenchTestbed bed, Path dir, Params p, String birdLine,
      String loglevel, java.util.function.IntFunction<String> checkOf) throws IOException {
    Path conf = writeConfig(dir, p, bed.prefixFile(), birdLine, loglevel, checkOf);
    ProcessBuilder pb = new ProcessBuilder(List.of("ip", "netns", "exec", env.netns(),
        env.launcher().toString(), "-f", conf.toString(), "-d", dir.resolve("conf.d").toString()))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("daemon.out").toFile());
    pb.environment().put("ANYCAST_HEALTHCHECKER_JAR", env.jar().toString());
    pb.environment().put("JAVA_HOME", env.javaHome().toString());
    if (p.javaOpts() != null) {
      pb.environment().put("ANYCAST_HEALTHCHECKER_JAVA_OPTS", p.javaOpts());
    }
    Instant t0 = Instant.now();
    // `ip netns exec` and the launcher both exec, so this process is the JVM itself.
    return new DaemonRun(env, dir, pb.start(), t0);
  }

  /**
   * Writes {@code dir/daemon.conf} (returned) and {@code dir/conf.d/services.conf}: the settings
   * of {@code p}, {@code birdLine} (how BIRD is told), the check lines of service i from
   * {@code checkOf}; pidfile and log in {@code dir}. The original gets the same file.
   */
  static Path writeConfig(Path dir, Params p, Path prefixFile, String birdLine, String loglevel,
      java.util.function.IntFunction<String> checkOf) throws IOException {
    Files.createDirectories(dir.resolve("conf.d"));
    Path conf = dir.resolve("daemon.conf");
    Files.writeString(conf, String.format(Locale.ROOT, """
        [DEFAULT]
        check_disabled = false
        ip_check_disabled = true
        check_interval = %s
        check_timeout = %s
        check_rise = %d
        check_fail = %d

        [daemon]
        ipv4 = true
        ipv6 = false
        pidfile = %s
        bird_conf = %s
        %s
        loglevel = %s
        log_file = %s
        splay_startup = %s
        """, p.interval(), p.timeout(), p.rise(), p.fall(), dir.resolve("daemon.pid"),
        prefixFile, birdLine, loglevel, dir.resolve("daemon.log"), p.splay()));
    StringBuilder services = new StringBuilder();
    for (int i = 0; i < p.services(); i++) {
      services.append('[').append(Env.service(i)).append("]\n").append(checkOf.apply(i))
          .append("ip_prefix = ").append(Env.prefix(i)).append("\n\n");
    }
    Files.writeString(dir.resolve("conf.d/services.conf"), services);
    return conf;
  }

  static Path stamps(Path dir) {
    return dir.resolve("stamps.log");
  }

  static Path flag(Path dir) {
    return dir.resolve("broken.flag");
  }

  Path stamps() {
    return stamps(dir);
  }

  Path log() {
    return dir.resolve("daemon.log");
  }

  long pid() {
    return process.pid();
  }

  /** Makes every service's check fail (true) or pass (false) from now on. */
  void broken(boolean on) throws IOException {
    if (on) {
      Files.writeString(flag(dir), "");
    } else {
      Files.deleteIfExists(flag(dir));
    }
  }

  /** Sends SIGURG: the daemon runs every check now. */
  void runAllNow() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-URG", Long.toString(pid())).start();
    kill.waitFor(5, TimeUnit.SECONDS);
  }

  /** Returns when the first pass had reconfigured BIRD (from the daemon's log), waiting for it. */
  Instant awaitFirstReconcile(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      var lines = LogTimes.daemon(log(), "reconfigured IPv4 BIRD");
      if (!lines.isEmpty()) {
        return lines.getFirst().at();
      }
      Thread.sleep(20);
    }
    throw new IOException("no reconcile within " + timeout + "; daemon output: "
        + tail(dir.resolve("daemon.out")) + tail(log()));
  }

  /**
   * Returns when the daemon logged that its warm-up (the change rehearsal) ended, waiting for it;
   * empty when it did not within {@code timeout}.
   */
  Optional<Instant> awaitWarmUp(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      var lines = LogTimes.daemon(log(), "warmed up in ");
      if (!lines.isEmpty()) {
        return Optional.of(lines.getFirst().at());
      }
      Thread.sleep(20);
    }
    return Optional.empty();
  }

  /** CPU time so far of the JVM itself and of its reaped children (checks and their execs). */
  record Cpu(Duration jvm, Duration children) {
    Duration total() {
      return jvm.plus(children);
    }

    Cpu minus(Cpu earlier) {
      return new Cpu(jvm.minus(earlier.jvm), children.minus(earlier.children));
    }
  }

  /** Returns the CPU time so far (from /proc/PID/stat). */
  Cpu cpu() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields 14-17 of stat(5): utime stime cutime cstime, here at 11-14 after pid and comm
    long self = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    long children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
    return new Cpu(Duration.ofMillis(self * 1000 / env.clockTicks()),
        Duration.ofMillis(children * 1000 / env.clockTicks()));
  }

  /** Returns the JVM's own user and system CPU so far, in clock ticks. */
  long[] userSystem() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /** Returns VmRSS in MiB. */
  double rssMib() throws IOException {
    return statusField("VmRSS:") / 1024.0;
  }

  /** Returns the number of threads of the JVM. */
  long threads() throws IOException {
    return statusField("Threads:");
  }

  private long statusField(String key) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (l.startsWith(key)) {
        return Long.parseLong(l.substring(key.length()).strip().split("\\s+")[0]);
      }
    }
    throw new IOException("no " + key + " for pid " + pid());
  }

  /** Returns the last 15 lines of {@code p} (for errors), empty when it cannot be read. */
  static String tail(Path p) {
    try {
      List<String> lines = Files.readAllLines(p);
      return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops the daemon with SIGTERM (SIGKILL after 20 s) and waits for it. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
