package net.anycast.healthchecker.bench;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One health change of every service of a running daemon, observed end to end: the flag is
 * set (or cleared), SIGURG makes every check run now, and the peer is watched until it has
 * withdrawn (or learned) every prefix.
 *
 * @param firstDecisive end of the earliest check that decided a service's new state
 * @param lastDecisive end of the latest one
 * @param firstReconfigure when BIRD woke up for the first configure after firstDecisive
 * @param peerDone when the peer had all the routes withdrawn (or learned)
 * @param reconfigures how many configures BIRD received from the trigger until it settled
 * @param statusLogged when the daemon logged the first "status changed" (log time + 0.5 ms: the
 *     log truncates to milliseconds, so this is unbiased on average)
 * @param fileWritten when the daemon logged the first "wrote" of the prefix file (likewise)
 * @param lastReconfigure when BIRD woke up for the last configure of this event
 */
record Event(Instant firstDecisive, Instant lastDecisive, Instant firstReconfigure,
    Instant peerDone, int reconfigures, int decided, Instant statusLogged, Instant fileWritten,
    Instant lastReconfigure) {

  /** Milliseconds from the last decisive check to the peer being done. */
  double convergenceMs() {
    return ms(lastDecisive, peerDone);
  }

  /** Milliseconds from the first decisive check to the first configure reaching BIRD. */
  double toReconfigureMs() {
    return ms(firstDecisive, firstReconfigure);
  }

  /** Milliseconds from the first decisive check to the peer being done. */
  double toPeerMs() {
    return ms(firstDecisive, peerDone);
  }

  /** Milliseconds between the first and the last decisive check (how spread the checks were). */
  double spreadMs() {
    return ms(firstDecisive, lastDecisive);
  }

  /**
   * True when the peer got the change more than {@link #BIRD_LATE_MS} after BIRD's last
   * configure: that interval is BIRD's and BGP's alone, and one configure + BGP takes a few ms.
   */
  boolean birdLate() {
    return ms(lastReconfigure, peerDone) > BIRD_LATE_MS;
  }

  /** Above this, BIRD held the update (its event loop sleeps up to 3 s; docs/benchmarks.md). */
  static final double BIRD_LATE_MS = 100;

  static double ms(Instant a, Instant b) {
    return Duration.between(a, b).toNanos() / 1e6;
  }

  /**
   * Breaks (broken = true) or repairs every service of {@code daemon} and returns what
   * happened; {@code routesAfter} is how many routes the peer must end with.
   */
  static Event run(DaemonRun daemon, PeerWatch peer, java.nio.file.Path birdLog, int services,
      boolean broken, int routesAfter) throws IOException, InterruptedException {
    long mark = Stamp.mark(daemon.stamps());
    int decisiveCode = broken ? 1 : 0;
    daemon.broken(broken);
    Instant trigger = Instant.now();
    daemon.runAllNow();
    Instant peerDone = peer.await(routesAfter, Duration.ofSeconds(60));
    Map<String, Instant> decisive = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (decisive.size() < services && System.nanoTime() < deadline) {
      for (Stamp s : Stamp.read(daemon.stamps(), mark)) {
        if (s.exitCode() == decisiveCode) {
          decisive.putIfAbsent(s.service(), s.at());
        }
      }
      Thread.sleep(20);
    }
    // A configure still in flight shows up in BIRD's log by now; and trials spaced by a second
    // stay clear of BIRD's late updates after closely following configures (docs/benchmarks.md).
    Thread.sleep(1000);
    Instant first = decisive.values().stream().min(Instant::compareTo).orElseThrow();
    Instant last = decisive.values().stream().max(Instant::compareTo).orElseThrow();
    List<Instant> reconfigures = LogTimes.birdReconfigures(birdLog).stream()
        .filter(t -> !t.isBefore(trigger)).toList();
    Instant firstReconfigure = reconfigures.stream().filter(t -> !t.isBefore(first)).findFirst()
        .orElse(peerDone);
    Instant lastReconfigure = reconfigures.stream().filter(t -> !t.isAfter(peerDone))
        .reduce((x, y) -> y).orElse(firstReconfigure);
    return new Event(first, last, firstReconfigure, peerDone, reconfigures.size(), decisive.size(),
        logged(daemon, "status changed to", trigger), logged(daemon, "wrote ", trigger),
        lastReconfigure);
  }

  private static Instant logged(DaemonRun daemon, String needle, Instant after)
      throws IOException {
    Instant floor = after.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    return LogTimes.daemon(daemon.log(), needle).stream().map(LogTimes.Line::at)
        .filter(t -> !t.isBefore(floor)).findFirst().map(t -> t.plusNanos(500_000)).orElse(null);
  }
}
