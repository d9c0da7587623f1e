package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks BIRD's control socket ({@code bird_socket}) directly: no fork, no sudo, and BIRD's
 * own reply code decides success. The daemon's user needs write access to the socket (BIRD
 * creates it owned by its user; {@code bird -g GROUP} or systemd's {@code RuntimeDirectory}
 * permissions let a group in).
 *
 * <p>One connection is kept open across commands, so a reconfigure pays no connect, no new
 * {@link java.nio.channels.Selector} and no greeting (about a millisecond of the time from a
 * decision to BIRD, see docs/benchmarks.md). A kept connection does not survive BIRD restarting
 * or closing it, hence: before a command the connection must be quiet (BIRD sends nothing
 * unasked, so a waiting byte or end of file means it is unusable), and when a kept connection
 * fails during a call, the call is made once more on a fresh connection. Sending a command twice
 * is harmless here: {@code configure} makes BIRD read the same files again, the others only
 * read. A fresh connection that fails is the error. A timeout is never retried: BIRD is slow,
 * not gone, and the call's deadline is spent; the connection is dropped all the same, since a
 * late reply on it would be taken for the next command's.
 *
 * <p>Calls are serialised: the wake-up {@code show status} after a {@code configure} and any
 * other command never interleave on the connection.
 */
public final class BirdSocket implements BirdControl {
  private static final Logger LOG = LoggerFactory.getLogger(BirdSocket.class);
  /** Long enough for BIRD to parse a large configuration; the reconciler retries a timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /**
   * How long after a confirmed configure the wake-up command follows: in the benchmark's probes
   * 5 ms later left no update held (0 of 48), at once 1 of 48.
   */
  private static final Duration NUDGE_DELAY = Duration.ofMillis(5);
  /** How often {@code configure status} is asked while BIRD 3 applies a configuration. */
  static final Duration STATUS_POLL = Duration.ofMillis(10);

  private final Path socket;
  private final Duration timeout;
  private final ReentrantLock lock = new ReentrantLock();
  private BirdConnection connection; // guarded by lock; null when none is open
  private boolean closed; // guarded by lock

  /**
   * @param timeout how long one call may take, from connecting (when needed) to BIRD's last
   *     reply line
   */
  public BirdSocket(Path socket, Duration timeout) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Sends {@code configure}; once BIRD confirmed it, sends {@code show status} on the same
   * connection 5 ms later, best effort. Why: BIRD 2.0.12 sometimes leaves the BGP update of a
   * reconfigure unsent until its main loop next wakes, up to 3 s later; one more CLI command
   * wakes it. In the benchmark's probes this took held updates from 7 in 48 reconfigures to 0.
   */
  @Override
  public ReconfigureResult reconfigure() throws InterruptedException {
    return ask("configure", (c, deadline) -> {
      ReconfigureResult result = BirdReply.ofConfigure(c.ask("configure", deadline));
      if (result instanceof ReconfigureResult.Confirmed accepted
          && BirdReply.stillApplying(accepted)) {
        result = awaitApplied(c, accepted, deadline);
      }
      if (result instanceof ReconfigureResult.Confirmed) {
        try {
          c.idle(NUDGE_DELAY);
          c.ask("show status", deadline);
        } catch (IOException e) {
          // The nudge is an optimisation: BIRD confirmed the configure, which is what counts.
          // The connection may hold half a reply now: the next call must not reuse it.
          c.close();
        }
      }
      return result;
    });
  }

  /**
   * Asks {@code configure status} every few milliseconds until BIRD 3 says the configuration it
   * accepted is in effect; fails when it still is not by {@code deadline} (the reconciler
   * retries). A status BIRD does not give ({@link BirdReply.ConfigureStatus#OTHER}) cannot be
   * waited for: the accepted configure counts, as before BIRD 3.
   */
  private static ReconfigureResult awaitApplied(BirdConnection c,
      ReconfigureResult.Confirmed accepted, long deadline)
      throws IOException, InterruptedException {
    while (deadline - System.nanoTime() > STATUS_POLL.toNanos()) {
      c.idle(STATUS_POLL);
      List<BirdReply.Line> status;
      try {
        status = c.ask("configure status", deadline);
      } catch (SocketTimeoutException e) {
        // The deadline came while BIRD was answering: the same as still applying at it. The
        // connection may hold half a reply; the caller's failure path drops it.
        c.close();
        break;
      }
      switch (BirdReply.ofConfigureStatus(status)) {
        case DONE -> {
          return new ReconfigureResult.Confirmed("Reconfigured");
        }
        case OTHER -> {
          return accepted;
        }
        case IN_PROGRESS -> { }
      }
    }
    return new ReconfigureResult.Failed("BIRD accepted the configuration ('" + accepted.reply()
        + "') but was still applying it at the deadline");
  }

  /** Returns whether BIRD accepts its configuration files as they are now (code 0020). */
  public ReconfigureResult configureCheck() throws InterruptedException {
    return ask("configure check",
        (c, deadline) -> BirdReply.ofConfigureCheck(c.ask("configure check", deadline)));
  }

  @Override
  public String describe() {
    return "control socket " + socket;
  }

  private ReconfigureResult ask(String command, Exchange<ReconfigureResult> exchange)
      throws InterruptedException {
    try {
      return exchange(exchange);
    } catch (IOException e) {
      return new ReconfigureResult.Failed(
          "'" + command + "' on BIRD's control socket " + socket + " failed: " + e.getMessage());
    }
  }

  /**
   * Returns BIRD's reply to one CLI command (the greeting excluded). The command may reach BIRD
   * twice (see the class comment), so it must be one that can be repeated.
   *
   * @throws SocketTimeoutException when BIRD does not finish its reply within the timeout
   * @throws IOException when the socket cannot be reached or speaks another protocol
   */
  public List<BirdReply.Line> command(String command) throws IOException, InterruptedException {
    return exchange((c, deadline) -> c.ask(command, deadline));
  }

  /**
   * Closes the kept connection; later calls fail. Waits for a call in flight (at most its
   * timeout) rather than closing the connection under it.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      drop();
    } finally {
      lock.unlock();
    }
  }

  /** Commands and their replies on one connection, all under the call's deadline. */
  @FunctionalInterface
  private interface Exchange<T> {
    T run(BirdConnection c, long deadline) throws IOException, InterruptedException;
  }

  /** Runs {@code exchange} on the kept connection, or on a fresh one (see the class comment). */
  private <T> T exchange(Exchange<T> exchange) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new SocketTimeoutException("another command kept the connection past the timeout");
    }
    try {
      if (closed) {
        throw new IOException("closed at shutdown");
      }
      if (connection != null) {
        try {
          if (connection.quiet()) {
            return exchange.run(connection, deadline);
          }
        } catch (SocketTimeoutException e) {
          throw e; // BIRD is slow, not gone: no retry, and the catch below drops the connection
        } catch (IOException e) {
          LOG.debug("kept connection to {} failed ({}); once more on a new one", socket,
              e.toString());
        }
        drop();
      }
      connection = BirdConnection.open(socket, deadline);
      return exchange.run(connection, deadline);
    } catch (IOException | InterruptedException | RuntimeException e) {
      drop();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  private void drop() {
    if (connection != null) {
      try {
        connection.close();
      } catch (IOException e) {
        // A connection given up on: there is nothing more to do with it.
      }
      connection = null;
    }
  }
}
