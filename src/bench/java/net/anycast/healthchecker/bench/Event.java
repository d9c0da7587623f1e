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
 */
record Event(Instant firstDecisive, Instant lastDecisive, Instant firstReconfigure,
    Instant peerDone, int reconfigures, int decided) {

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
    Thread.sleep(300); // a configure still in flight would show up in BIRD's log by now
    Instant first = decisive.values().stream().min(Instant::compareTo).orElseThrow();
    Instant last = decisive.values().stream().max(Instant::compareTo).orElseThrow();
    List<Instant> reconfigures = LogTimes.birdReconfigures(birdLog).stream()
        .filter(t -> !t.isBefore(trigger)).toList();
    Instant firstReconfigure = reconfigures.stream().filter(t -> !t.isBefore(first)).findFirst()
        .orElse(peerDone);
    return new Event(first, last, firstReconfigure, peerDone, reconfigures.size(), decisive.size());
  }
}
