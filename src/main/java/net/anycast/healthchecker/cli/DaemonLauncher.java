package net.anycast.healthchecker.cli;

import java.io.PrintWriter;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.daemon.Daemon;

/** Starts the daemon with a loaded configuration; returns its exit code. */
final class DaemonLauncher {
  private DaemonLauncher() {}

  static int run(LoadedConfig loaded, PrintWriter out, PrintWriter err) {
    try {
      return new Daemon(loaded, Version.text(), out, err).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
