package net.anycast.healthchecker.cli;

import java.io.PrintWriter;
import net.anycast.healthchecker.config.LoadedConfig;
import net.anycast.healthchecker.daemon.Daemon;
import net.anycast.healthchecker.daemon.Reloader;

/** Starts the daemon with a loaded configuration; returns its exit code. */
final class DaemonLauncher {
  private DaemonLauncher() {}

  static int run(LoadedConfig loaded, Reloader.ConfigSource source, PrintWriter out,
      PrintWriter err) {
    try {
      return new Daemon(loaded, source, Version.text(), out, err).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
