package net.anycast.healthchecker.bench;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The limit of running checks: {@code spawnloop}, a C loop of posix_spawn + waitpid of the
 * same {@code stamp} the daemon runs, directly in a new session (one exec, what a runner
 * calling posix_spawn with POSIX_SPAWN_SETSID through FFM would do), and through
 * {@code setsid} (two execs: the daemon's chain minus jspawnhelper).
 */
final class SpawnLimit {
  /**
   * CPU (the loop's and its children's) and wall time per spawn, and the loop's own CPU per
   * spawn (the spawning side alone: what a daemon's threads could at best spend), in
   * milliseconds.
   */
  record PerSpawn(double cpuMs, double wallMs, double parentMs) {}

  private static final Pattern OUT = Pattern.compile(
      "wall_us_per_spawn=([0-9.]+) cpu_us_per_spawn=([0-9.]+) parent_us_per_spawn=([0-9.]+)");

  private SpawnLimit() {}

  static PerSpawn measure(Env env, int count, boolean viaSetsid) throws Exception {
    Path log = env.work().resolve("spawnloop.log");
    String[] cmd = viaSetsid
        ? new String[] {env.spawnloop().toString(), "-p", Integer.toString(count), "/usr/bin/setsid",
            "--", env.stamp().toString(), log.toString(), "x", "/nonexistent"}
        : new String[] {env.spawnloop().toString(), Integer.toString(count), env.stamp().toString(),
            log.toString(), "x", "/nonexistent"};
    Matcher m = OUT.matcher(Env.run(cmd));
    if (!m.find()) {
      throw new IllegalStateException("unexpected spawnloop output");
    }
    return new PerSpawn(Double.parseDouble(m.group(2)) / 1000,
        Double.parseDouble(m.group(1)) / 1000, Double.parseDouble(m.group(3)) / 1000);
  }
}
