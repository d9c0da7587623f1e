package net.anycast.healthchecker.daemon;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The signals: SIGTERM, SIGINT and SIGABRT shut down cleanly, as in the original; SIGHUP reloads
 * the configuration (the original stopped on it); SIGURG runs every check now.
 *
 * <p>Handlers replace the JVM's own, so the JVM no longer exits by itself on these signals: the
 * shutdown callback must end the process. It runs once, on a thread the JVM starts for the
 * signal; a second shutdown signal while shutting down calls {@code onRepeat} instead ("exit
 * now": a stop that waits for BIRD or a grace period is cut short).
 */
public final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  /** The signals that end the daemon, named as {@code kill -l} does. */
  public static final List<String> SHUTDOWN = List.of("TERM", "INT", "ABRT");

  /** The signal that reloads the configuration. */
  public static final String RELOAD = "HUP";

  /** The signal that makes every service loop run its next check at once. */
  public static final String RUN_NOW = "URG";

  private Signals() {}

  /**
   * Installs the handlers: the first shutdown signal calls {@code onShutdown}, every later one
   * {@code onRepeat}; both receive the signal's name ({@code SIGTERM}, …) for their log lines.
   * {@code onRunNow} is called for every SIGURG, {@code onReload} for every SIGHUP; both must
   * return quickly (hand the work to a thread of their own).
   */
  public static void install(Consumer<String> onShutdown, Consumer<String> onRepeat,
      Runnable onRunNow, Runnable onReload) {
    AtomicBoolean shuttingDown = new AtomicBoolean();
    for (String name : SHUTDOWN) {
      Signal.handle(new Signal(name), signal -> {
        if (shuttingDown.compareAndSet(false, true)) {
          onShutdown.accept("SIG" + signal.getName());
        } else {
          onRepeat.accept("SIG" + signal.getName());
        }
      });
    }
    Signal.handle(new Signal(RUN_NOW), signal -> onRunNow.run());
    Signal reload = new Signal(RELOAD);
    if (InheritedIgnore.reset(reload.getNumber())) {
      LOG.info("SIGHUP was ignored by whoever started the daemon (nohup?); it reloads now");
    }
    if (Signal.handle(reload, signal -> onReload.run()) == SignalHandler.SIG_IGN) {
      LOG.warn("SIGHUP is ignored and could not be taken back: reload through the HTTP API or"
          + " restart instead of SIGHUP and `anycast-healthchecker reload`");
    }
  }
}
