package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes BIRD's main loop a few milliseconds after a {@code configure} confirmed by a command, as
 * {@link BirdSocket} does on its own connection: BIRD 2.0.12 sometimes leaves the BGP update of a
 * reconfigure unsent until its loop next wakes, up to 3 s later (docs/benchmarks.md,
 * "BIRD-late"); {@code birdc} closes its connection at once after the reply, too early to count.
 * Any activity on the control socket wakes the loop: this connects, reads the greeting, asks
 * {@code show status} and hangs up. It needs only the right to connect (the package puts the
 * daemon's user in group {@code bird}), not the command's {@code sudo}.
 *
 * <p>Best effort: BIRD confirmed the configure, which is what counts. When the socket cannot be
 * opened the first failure is logged as a warning (the fix is the operator's), the rest at debug.
 */
final class BirdWake {
  private static final Logger LOG = LoggerFactory.getLogger(BirdWake.class);
  /** The same delay as the control-socket path's: 5 ms left no update held in 48 probes. */
  static final Duration DELAY = Duration.ofMillis(5);
  /** A wake-up is worth little after this; the reconciler must not wait on it longer. */
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private final Optional<Path> socket;
  private final AtomicBoolean warned = new AtomicBoolean();

  /** @param socket the control socket of the BIRD the command reconfigures; empty: no wake-up */
  BirdWake(Optional<Path> socket) {
    this.socket = socket;
  }

  /** Returns where the wake-up goes, for log lines. */
  Optional<Path> socket() {
    return socket;
  }

  /** Waits {@link #DELAY}, then pokes BIRD once; never throws for BIRD's or the socket's faults. */
  void afterConfigure() throws InterruptedException {
    if (socket.isEmpty()) {
      return;
    }
    Thread.sleep(DELAY);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (BirdConnection c = BirdConnection.open(socket.get(), deadline)) {
      c.ask("show status", deadline);
    } catch (IOException e) {
      if (!warned.getAndSet(true)) {
        LOG.warn("cannot wake BIRD through its control socket {} after a configure ({}): BIRD 2"
            + " may then send the BGP update up to 3 s late; let the daemon's user connect to it"
            + " (group bird) or set bird_socket", socket.get(), e.getMessage());
      } else {
        LOG.debug("waking BIRD through {} failed: {}", socket.get(), e.toString());
      }
    }
  }
}
