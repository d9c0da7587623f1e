package net.anycast.healthchecker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python original (anycast-healthchecker 0.9.x), run from a directory the benchmark is given
 * ({@code --original=DIR}, holding the package {@code anycast_healthchecker/}; never part of this
 * repository) for the side-by-side command-path measure. It runs in the foreground (0.9.x does not
 * daemonize), in a network namespace of its own (its single-instance lock is the same abstract
 * socket as ours, so beside our daemon it needs another namespace), with its own pidfile and
 * prefix file, and is stopped by its PID (SIGTERM: its shutdown handler removes the pidfile and
 * exits).
 */
final class OriginalRun implements AutoCloseable {
  private final Path dir;
  private final Process process;
  private boolean paused;

  private OriginalRun(Path dir, Process process) {
    this.dir = dir;
    this.process = process;
  }

  /** What {@link #probe} found: the interpreter that can run the original, and both versions. */
  record Interpreter(String python, String pythonVersion, String originalVersion) {}

  /**
   * Finds an interpreter that imports the original and its dependencies (docopt,
   * python-json-logger): {@code python} first, then Debian's {@code /usr/bin/python3} (where
   * {@code apt-get install python3-docopt python3-pythonjsonlogger} puts them) when
   * {@code python} is another one, such as a pyenv shim, without them.
   */
  static Interpreter probe(Path original, String python) throws IOException, InterruptedException {
    if (!Files.isRegularFile(original.resolve("anycast_healthchecker/main.py"))) {
      throw new IOException(original + " has no anycast_healthchecker/main.py");
    }
    String script = "import sys, docopt, pythonjsonlogger, anycast_healthchecker as a;"
        + " print(a.__version__, sys.version.split()[0])";
    IOException first = null;
    for (String p : List.of(python, "/usr/bin/python3")) {
      try {
        String[] out = runPython(original, p, script).strip().split(" ");
        return new Interpreter(p, out[1], out[0]);
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    throw new IOException("no Python runs the original (-Dbench.python=PATH; apt-get install"
        + " python3-docopt python3-pythonjsonlogger): " + first.getMessage());
  }

  private static String runPython(Path original, String python, String script)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(python, "-c", script).redirectErrorStream(true);
    pb.environment().put("PYTHONPATH", original.toString());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException(python + ": " + e.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(python + ": " + out.strip());
    }
    return out;
  }

  /**
   * Writes the original's configuration into a fresh {@code dir} — the keys our daemon gets in
   * {@link DaemonRun}, with {@code check_interval = interval} (the original has no "run now"
   * here: its own timer drives the checks) — and starts it with {@code python -m
   * anycast_healthchecker.main}.
   */
  static OriginalRun start(Env env, Path dir, Path original, String python,
      String netns, Path prefixFile, DaemonRun.Params p, double interval, String command)
      throws IOException {
    var timed = new DaemonRun.Params(p.services(), interval, p.timeout(), p.rise(), p.fall(),
        p.splay(), p.javaOpts());
    Path conf = DaemonRun.writeConfig(dir, timed, prefixFile, "bird_reconfigure_cmd = " + command,
        "info", DaemonRun.stampCheck(env, dir));
    ProcessBuilder pb = new ProcessBuilder(List.of("ip", "netns", "exec", netns, python,
        "-m", "anycast_healthchecker.main", "-f", conf.toString(), "-d",
        dir.resolve("conf.d").toString()))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("daemon.out").toFile());
    pb.environment().put("PYTHONPATH", original.toString());
    // `ip netns exec` execs, so this process is the interpreter itself.
    return new OriginalRun(dir, pb.start());
  }

  Path stamps() {
    return DaemonRun.stamps(dir);
  }

  Path log() {
    return dir.resolve("daemon.log");
  }

  /** Makes the service's check fail (true) or pass (false) from now on. */
  void broken(boolean on) throws IOException {
    if (on) {
      Files.writeString(DaemonRun.flag(dir), "");
    } else {
      Files.deleteIfExists(DaemonRun.flag(dir));
    }
  }

  /** Waits until the original logged "status UP" (it starts from an unknown state). */
  void awaitUp(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (!LogTimes.daemon(log(), "status UP").isEmpty()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IOException("the original did not come up within " + timeout + "; its output: "
        + DaemonRun.tail(dir.resolve("daemon.out")) + DaemonRun.tail(log()));
  }

  /** Stops the original (SIGSTOP): its timer's checks do not run until {@link #resume}. */
  void pause() throws IOException, InterruptedException {
    signal("-STOP");
    paused = true;
  }

  /** Lets the original run again (SIGCONT). */
  void resume() throws IOException, InterruptedException {
    signal("-CONT");
    paused = false;
  }

  private void signal(String sig) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", sig, Long.toString(process.pid())).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill " + sig + " " + process.pid() + " failed");
    }
  }

  /** Stops the original by its PID with SIGTERM (SIGKILL after 20 s) and waits for it. */
  @Override
  public void close() throws InterruptedException {
    if (paused) {
      try {
        resume();
      } catch (IOException e) {
        // it is gone already
      }
    }
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
