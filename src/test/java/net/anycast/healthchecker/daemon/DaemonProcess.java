package net.anycast.healthchecker.daemon;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.cli.Main;

/**
 * The real daemon as a child JVM ({@code Main -f … -d …}), run in the node's network namespace
 * of a {@link BgpTestbed}, its stdout and stderr in {@link #logFile}. Signals go to its pid
 * ({@code ip netns exec} execs java in place). Closing it SIGKILLs it if it still runs.
 */
final class DaemonProcess implements AutoCloseable {
  static final Duration START = Duration.ofSeconds(30);

  private final BgpTestbed testbed;
  private final Process process;
  private final Path logFile;

  private DaemonProcess(BgpTestbed testbed, Process process, Path logFile) {
    this.testbed = testbed;
    this.process = process;
    this.logFile = logFile;
  }

  /** Writes {@code setup} and starts a daemon on it with {@code env} added to its environment. */
  static DaemonProcess start(BgpTestbed testbed, DaemonSetup setup, Path logFile,
      Map<String, String> env) throws IOException {
    setup.write();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(testbed.inNodeNamespace(List.of(java,
        "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "-f", setup.configFile().toString(), "-d", setup.serviceDir().toString())))
        .directory(setup.dir().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().putAll(env);
    return new DaemonProcess(testbed, pb.start(), logFile);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path logFile() {
    return logFile;
  }

  /** Sends signal {@code name} ({@code TERM}, {@code URG}, …) to the daemon. */
  void signal(String name) throws IOException, InterruptedException {
    exec(List.of("kill", "-s", name, Long.toString(pid())));
  }

  /**
   * SIGTERMs the daemon and every process below it (its checks) in one go, as systemd's
   * {@code KillMode=control-group} does; the checks first when {@code checksFirst}, so the
   * daemon may see them die before its own signal. Returns how many checks' processes it hit.
   */
  int terminateWithDescendants(boolean checksFirst) {
    ProcessHandle daemon = process.toHandle();
    // Only what our own daemon started; destroy() checks the start time, so a pid reused since
    // the listing is not hit.
    List<ProcessHandle> tree = new ArrayList<>(daemon.descendants().toList());
    tree.add(checksFirst ? tree.size() : 0, daemon);
    tree.forEach(ProcessHandle::destroy);
    return tree.size() - 1;
  }

  /** Returns how many processes run below the daemon right now (its checks). */
  long descendants() {
    return process.toHandle().descendants().count();
  }

  /** SIGKILLs the daemon and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("daemon " + pid() + " survived SIGKILL");
    }
  }

  /** Returns the exit code, waiting at most {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("daemon " + pid() + " still runs after " + timeout);
    }
    return process.exitValue();
  }

  /** Returns everything the daemon logged so far. */
  String log() throws IOException {
    return Files.readString(logFile, StandardCharsets.UTF_8);
  }

  /** Waits until the log holds {@code text}; fails early if the daemon exits first. */
  void awaitLog(String text, Duration timeout) {
    await("daemon log line containing '" + text + "'").atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .failFast("the daemon exited", () -> !process.isAlive())
        .until(() -> log().contains(text));
  }

  /** Waits until every reconciler ran its first pass (the daemon logs {@code ready:}). */
  DaemonProcess awaitReady() {
    awaitLog("ready: ", START);
    return this;
  }

  /** Returns the text of {@code /metrics}, fetched inside the daemon's network namespace. */
  String metrics() throws IOException, InterruptedException {
    return exec(testbed.inNodeNamespace(List.of("python3", "-c",
        "import sys, urllib.request; sys.stdout.write("
        + "urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())",
        "http://127.0.0.1:" + DaemonSetup.METRICS_PORT + "/metrics")));
  }

  /** Returns the value of one series of {@code /metrics}, e.g. {@code name{label="x"}}. */
  double metric(String series) throws IOException, InterruptedException {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
        .matcher(metrics());
    if (!m.find()) {
      throw new AssertionError("no series " + series + " in /metrics");
    }
    return Double.parseDouble(m.group(1));
  }

  /** Returns BIRD reconfigure attempts so far for IP version {@code version} (4 or 6). */
  long reconfigures(int version) throws IOException, InterruptedException {
    return (long) metric("anycast_healthchecker_bird_reconfigure_attempts_total{ip_version=\""
        + version + "\"}");
  }

  /**
   * Runs {@code command} in the daemon's mount namespace ({@code ip netns exec} gave it its own,
   * and {@code /} is not shared here, so a mount made outside would not reach it).
   */
  void inMountNamespace(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid()), "-m"));
    full.addAll(List.of(command));
    exec(full);
  }

  /** What one run of the command line printed, how it exited and how long it ran. */
  record CliRun(int exitCode, String stdout, String stderr, Duration took) {}

  /**
   * Runs the command line ({@code Main -f … -d …} of {@code setup}, then {@code args}, e.g.
   * {@code drain a}) in the node's network namespace, as an operator on that host would, and
   * waits for it (at most 30 s).
   */
  static CliRun cli(BgpTestbed testbed, DaemonSetup setup, String... args)
      throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(),
        "-f", setup.configFile().toString(), "-d", setup.serviceDir().toString()));
    command.addAll(List.of(args));
    Path stdout = Files.createTempFile(setup.dir(), "cli-", ".out");
    Path stderr = Files.createTempFile(setup.dir(), "cli-", ".err");
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(testbed.inNodeNamespace(command))
        .directory(setup.dir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the command line " + List.of(args) + " still runs after 30 s");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    return new CliRun(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8), took);
  }

  /** Runs {@code command}; returns its output, or throws with it when it fails. */
  static String exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(command + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
