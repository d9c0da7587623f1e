package net.anycast.healthchecker.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs the commands the fault tests set their stage with (mount, losetup, mkfs: root). */
final class RootCommands {
  private RootCommands() {}

  /**
   * Runs {@code cmd}; returns its output (stdout and stderr), stripped.
   *
   * @throws IOException when it fails or runs longer than 30 s, with its output
   */
  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out.strip();
  }
}
