package net.anycast.healthchecker.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * Where things are: the compiled C programs, the launcher and jar, the JDK, the benchmark's
 * working directory and the network namespace the daemon runs in.
 */
record Env(Path work, Path stamp, Path spawnloop, Path localservers, Path launcher, Path jar,
    Path javaHome, String netns, long clockTicks) {

  /** Returns the name of service i. */
  static String service(int i) {
    return String.format("svc%04d", i);
  }

  /** Returns the prefix of service i: 10.1.x.y/32, 250 per /24. */
  static IpPrefix prefix(int i) {
    return IpPrefix.parse("10.1." + (i / 250) + "." + (i % 250 + 1) + "/32");
  }

  /** Returns the prefixes of services 0..n-1. */
  static List<IpPrefix> prefixes(int n) {
    List<IpPrefix> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(prefix(i));
    }
    return out;
  }

  /** Runs a command to completion (at most 60 s); returns its output; throws when it fails. */
  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " failed: " + new String(out));
    }
    return new String(out);
  }
}
