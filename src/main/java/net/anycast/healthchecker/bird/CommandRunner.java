package net.anycast.healthchecker.bird;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command in its own session with a deadline, capturing at most {@value #MAX_OUTPUT}
 * bytes of its merged stdout/stderr, and on timeout kills its whole process group.
 *
 * <p>Java cannot call {@code setsid()} in the child, so the command runs as
 * {@code setsid CMD…}: the JVM's child is not a group leader, so setsid(1) execs CMD in place
 * and its PID is the new process group's ID, which {@code kill(-pgid)} reaches with all the
 * children a shell script forked.
 */
final class CommandRunner {
  static final int MAX_OUTPUT = 4096;
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final int SIGTERM = 15;
  private static final int SIGKILL = 9;
  private static final MethodHandle KILL = Linker.nativeLinker().downcallHandle(
      Linker.nativeLinker().defaultLookup().find("kill").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

  private CommandRunner() {}

  /** What a run ended with. {@code exitCode} is -1 when it timed out and was killed. */
  record Outcome(int exitCode, boolean timedOut, String output) {}

  /**
   * Returns how {@code argv} ended within {@code timeout}.
   *
   * @throws IOException when it cannot be started at all (no such program, no permission)
   */
  static Outcome run(List<String> argv, Duration timeout) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(argv.size() + 1);
    cmd.add("setsid");
    cmd.addAll(argv);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
    boolean timedOut = false;
    try {
      if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        timedOut = true;
        killGroup(p);
      }
    } catch (InterruptedException e) {
      killGroup(p);
      throw e;
    }
    // A grandchild that left the group could keep the pipe open: bound the wait for output.
    reader.join(GRACE);
    String text;
    synchronized (out) {
      text = out.toString(StandardCharsets.UTF_8);
    }
    return new Outcome(timedOut ? -1 : p.exitValue(), timedOut, text);
  }

  /** SIGTERM to the group, SIGKILL after a grace period, then reap, so runs never overlap. */
  private static void killGroup(Process p) throws InterruptedException {
    signal(-p.pid(), SIGTERM);
    if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      signal(-p.pid(), SIGKILL);
      p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
    signal(-p.pid(), SIGKILL); // children of a script that exited on SIGTERM
    p.destroyForcibly();
  }

  private static void signal(long pid, int sig) {
    try {
      // -1 (ESRCH) means the group is already gone, which is what we want: ignored.
      int ignored = (int) KILL.invokeExact((int) pid, sig);
    } catch (Throwable t) {
      throw new IllegalStateException("kill(2) failed", t);
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[4096];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (out) {
          out.write(buf, 0, Math.min(n, Math.max(0, MAX_OUTPUT - out.size())));
        }
      }
    } catch (IOException e) {
      // the pipe closes when the process is killed: what was read so far is the output
    }
  }
}
