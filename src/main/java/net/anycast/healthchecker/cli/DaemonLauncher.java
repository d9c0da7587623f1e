package net.anycast.healthchecker.cli;

import java.io.PrintWriter;
import net.anycast.healthchecker.config.LoadedConfig;

/** Starts the daemon with a loaded configuration; returns its exit code. */
final class DaemonLauncher {
  private DaemonLauncher() {}

  static int run(LoadedConfig loaded, PrintWriter out, PrintWriter err) {
    err.println("the daemon is not wired yet");
    return 1;
  }
}
