package net.anycast.healthchecker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.anycast.healthchecker.bird.BenchTestbed;

/**
 * Measure 2, decision overhead: one service; its check fails (then passes again), run at once
 * by SIGURG. From the end of the decisive check (the time the check program wrote just before
 * exiting) to the daemon issuing {@code configure} (seen by a {@link ControlTap} between the
 * daemon and BIRD's control socket), to BIRD logging "Reconfiguring" (microseconds; BIRD logs it
 * after parsing the new configuration), and to the peer having withdrawn (learned) the route. Two sets of trials: on a fresh daemon, and after it ran its
 * check {@value #WARM_UP_CHECKS} times (as a daemon in service has); the target is judged on the
 * second.
 */
final class OverheadBench {
  private static double mean(List<Event> events, java.util.function.ToDoubleFunction<Event> f) {
    return events.stream().filter(e -> e.statusLogged() != null && e.fileWritten() != null)
        .mapToDouble(f).average().orElse(Double.NaN);
  }

  private static final double TARGET_P95_MS = 2;
  private static final int WARM_UP_CHECKS = 500;

  private final Env env;
  private final BenchTestbed bed;
  private final Table table;
  private final int trials;
  private final String javaOpts;
  private ControlTap tap;

  OverheadBench(Env env, BenchTestbed bed, Table table, int trials, String javaOpts) {
    this.env = env;
    this.bed = bed;
    this.table = table;
    this.trials = trials;
    this.javaOpts = javaOpts;
  }

  void run() throws Exception {
    var params = new DaemonRun.Params(1, 30, 5, 1, 1, 0, javaOpts);
    Path dir = env.work().resolve("overhead");
    Files.createDirectories(dir);
    try (PeerWatch peer = new PeerWatch(bed.peerSocket());
        ControlTap tap = ControlTap.start(dir.resolve("tap.ctl"), bed.nodeSocket());
        DaemonRun daemon = DaemonRun.start(env, bed, dir, params, tap.path())) {
      this.tap = tap;
      daemon.awaitFirstReconcile(Duration.ofSeconds(60));
      BurstBench.awaitStamps(daemon, 1);
      peer.await(1, Duration.ofSeconds(60));
      String p = params.describe() + ", " + trials + " trials, p50/p95/max ms";
      trialSet(daemon, peer, p + ", fresh daemon", false);
      int checks = warmUp(daemon);
      trialSet(daemon, peer, p + ", after " + checks + " passing checks", true);
    }
  }

  /**
   * Runs {@value #WARM_UP_CHECKS} passing checks, one SIGURG each: a daemon in service has run
   * its check path thousands of times (so the JIT compiled it), while the path of a change (the
   * decision, the prefix file, the configure) stays as rarely run as in production. Returns how
   * many checks ran.
   */
  private static int warmUp(DaemonRun daemon) throws Exception {
    daemon.broken(false);
    long mark = Stamp.mark(daemon.stamps());
    int ran = 0;
    for (int i = 0; i < WARM_UP_CHECKS; i++) {
      daemon.runAllNow();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while ((ran = Stamp.read(daemon.stamps(), mark).size()) <= i
          && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    }
    Thread.sleep(1000);
    return ran;
  }

  /** Returns when the daemon sent the event's first configure (the tap saw it). */
  private Instant issued(Event e) {
    return tap.firstSent("configure", e.firstDecisive()).orElse(e.firstReconfigure());
  }

  private List<Double> issuedMs(List<Event> events) {
    return events.stream().map(e -> Event.ms(e.firstDecisive(), issued(e))).toList();
  }

  private void trialSet(DaemonRun daemon, PeerWatch peer, String p, boolean verdict)
      throws Exception {
    List<Event> down = new ArrayList<>();
    List<Event> up = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      down.add(Event.run(daemon, peer, bed.nodeLog(), 1, true, 0));
      up.add(Event.run(daemon, peer, bed.nodeLog(), 1, false, 1));
    }
    Stats issued = new Stats(issuedMs(down));
    String first = "decision overhead: check end → configure issued (withdraw)";
    if (verdict) {
      table.target(first, p, issued.summary(), "p95 ≤ " + (int) TARGET_P95_MS + " ms",
          issued.p(95) <= TARGET_P95_MS);
    } else {
      table.info(first, p, issued.summary());
    }
    table.info("decision overhead: check end → configure at BIRD (withdraw)", p,
        new Stats(down.stream().map(Event::toReconfigureMs).toList()).summary());
    table.info("decision overhead: check end → peer withdrew", p,
        new Stats(down.stream().map(Event::toPeerMs).toList()).summary());
    table.info("decision overhead: check end → configure issued (announce)", p,
        new Stats(issuedMs(up)).summary());
    table.info("decision overhead: check end → configure at BIRD (announce)", p,
        new Stats(up.stream().map(Event::toReconfigureMs).toList()).summary());
    table.info("decision overhead: check end → peer learned", p,
        new Stats(up.stream().map(Event::toPeerMs).toList()).summary());
    List<Event> all = new ArrayList<>(down);
    all.addAll(up);
    table.info("where the time goes (withdraw and announce, mean ms)", p + ", log times ±0.5 ms",
        String.format(Locale.ROOT, "check end → status logged %.2f; → prefix file written (incl."
                + " data fsync and rename) %.2f; → configure issued %.2f; → configure at BIRD"
                + " %.2f; → peer %.2f",
            mean(all, e -> Event.ms(e.firstDecisive(), e.statusLogged())),
            mean(all, e -> Event.ms(e.statusLogged(), e.fileWritten())),
            mean(all, e -> Event.ms(e.fileWritten(), issued(e))),
            mean(all, e -> Event.ms(issued(e), e.firstReconfigure())),
            mean(all, e -> Event.ms(e.firstReconfigure(), e.peerDone()))));
    table.info("reconfigures per change; BIRD-late updates", p, String.format(Locale.ROOT,
        "%.1f; %d of %d", all.stream().mapToInt(Event::reconfigures).average().orElse(0),
        all.stream().filter(Event::birdLate).count(), all.size()));
  }
}
