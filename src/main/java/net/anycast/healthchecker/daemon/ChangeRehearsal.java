package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import net.anycast.healthchecker.bird.Backoff;
import net.anycast.healthchecker.bird.BirdControl;
import net.anycast.healthchecker.bird.Holdoff;
import net.anycast.healthchecker.bird.PassScheduler;
import net.anycast.healthchecker.bird.PrefixFileStore;
import net.anycast.healthchecker.bird.Reconciler;
import net.anycast.healthchecker.bird.ReconfigureResult;
import net.anycast.healthchecker.check.CheckGroup;
import net.anycast.healthchecker.check.IpAssignment;
import net.anycast.healthchecker.check.ReactorCheck;
import net.anycast.healthchecker.check.ServiceCheck;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.files.TempFile;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.logging.LogFields;
import net.anycast.healthchecker.net.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Rehearses a few route changes once the daemon is ready, so that the first real change does not
 * pay for running its code for the first time.
 *
 * <p>Why: the code of a change (a check that fails or passes again, the result turning a service
 * DOWN or UP, the reconciler's pass, the prefix file's render and write) runs only when a route
 * changes. The JVM interprets code until it has run a few times, then compiles it while it runs.
 * Measured (issue 15, docs/benchmarks.md), the first one to three changes after a start took
 * 4–12 ms from the decisive check to the reconfigure command and later ones about 2 ms. The AOT
 * cache's eager compilation did not cover this code (its records wait for classes the first change
 * initializes). Running the same code beforehand, while nothing waits on it, loads, links and
 * queues it for compilation.
 *
 * <p>What it touches: nothing an operator or BIRD sees. A copy of one service (no custom command,
 * no IP check) feeds inputs of its own and a reconciler of its own. Its check runs {@link #PASS}
 * or {@link #FAIL} (as the daemon runs any {@code check_cmd}: same spawner, same environment and
 * user) as the rehearsal needs. The reconciler's prefix file is in a private temporary directory,
 * and its BIRD is a stand-in that confirms at once. Every thread of the rehearsal carries
 * {@link LogFields#REHEARSAL}, so its log lines are dropped, and the directory is removed at the
 * end. A failure (no temporary directory, a pass that does not end) ends the rehearsal early; the
 * daemon is never affected.
 */
final class ChangeRehearsal {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeRehearsal.class);

  /**
   * DOWN-and-UP round trips of one round. With the launcher's compile thresholds a method is
   * queued for compilation after a call or two, so a few changes cover the path; each costs about
   * a millisecond once compiled, and the first ones a few.
   */
  static final int ROUND_TRIPS = 4;
  /**
   * Rounds at most. A round runs when the JIT is quiet, and the next one only when the round made
   * the JIT compile something: what it queued may have been dropped as stale
   * ({@link CompilerIdle}).
   */
  static final int MAX_ROUNDS = 5;
  /** How long a round waits for the JIT to go quiet before it runs anyway. */
  static final Duration QUIET_LIMIT = Duration.ofSeconds(10);
  /** Rise and fall of the copy at most: the lines "going down n/m" differ only in n and m. */
  static final int MAX_STREAK = 3;
  /** How long one pass of the private reconciler may take before the rehearsal gives up. */
  static final Duration PASS_LIMIT = Duration.ofSeconds(5);

  /** The command of a passing check: coreutils' {@code true}, on every Debian system. */
  static final String PASS = "/bin/true";
  /** The command of a failing check: exits 1. */
  static final String FAIL = "/bin/false";

  /** The rehearsal's BIRD: confirms every reconfigure at once, tells nothing to anyone. */
  private static final BirdControl STAND_IN = new BirdControl() {
    @Override
    public ReconfigureResult reconfigure() {
      return new ReconfigureResult.Confirmed("0003 Reconfigured (rehearsal)");
    }

    @Override
    public String describe() {
      return "the change rehearsal's stand-in";
    }
  };

  /**
   * What a rehearsal did: the rounds it ran, the changes the private reconciler applied, and how
   * long it took (waits for the JIT included).
   */
  record Result(int rounds, int changes, Duration took) {}

  private final ServiceConfig service;
  private final BirdFamilyConfig bird;
  static final String DIR_PREFIX = "anycast-healthchecker-rehearsal-";
  private final Path tmpRoot;
  private final Function<ServiceConfig, CheckGroup> checks;
  private final CompilerIdle jit;

  private ChangeRehearsal(ServiceConfig service, BirdFamilyConfig bird, Path tmpRoot,
      Function<ServiceConfig, CheckGroup> checks, CompilerIdle jit) {
    this.service = service;
    this.bird = bird;
    this.tmpRoot = tmpRoot;
    this.checks = checks;
    this.jit = jit;
  }

  /**
   * Returns the rehearsal of the first service with a prefix of one of {@code families}, whose
   * private directory will be made under {@code tmpRoot}, whose checks {@code checks} makes (the
   * service loops' own), paced by {@code jit}; empty when no service has one.
   */
  static Optional<ChangeRehearsal> of(List<ServiceConfig> services,
      List<BirdFamilyConfig> families, Path tmpRoot, Function<ServiceConfig, CheckGroup> checks,
      CompilerIdle jit) {
    for (ServiceConfig s : services) {
      for (BirdFamilyConfig f : families) {
        if (s.prefixes().stream().anyMatch(p -> p.family() == f.family())) {
          return Optional.of(new ChangeRehearsal(s, f, tmpRoot, checks, jit));
        }
      }
    }
    return Optional.empty();
  }

  /** Runs the rehearsal and logs its outcome; never throws. */
  void runLogged() {
    try {
      Result r = run();
      LOG.info("warmed up in {} ms: rehearsed {} route changes in {} rounds on a private copy of"
          + " {} (a prefix file of its own, no BIRD, no command)", r.took().toMillis(),
          r.changes(), r.rounds(), service.name());
    } catch (IOException | IllegalStateException e) {
      LOG.warn("the warm-up ended early, the first route changes may take a few ms longer: {}",
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the daemon is stopping
    }
  }

  /**
   * Runs rounds of {@link #ROUND_TRIPS} round trips (DOWN, UP, …) through the daemon's classes on
   * the private copy, each when the JIT is quiet, until a round makes the JIT compile nothing
   * more or {@link #MAX_ROUNDS} ran; returns what the private reconciler applied.
   *
   * @throws IOException when the private directory cannot be made
   * @throws IllegalStateException when a pass does not end within {@link #PASS_LIMIT}
   * @throws InterruptedException when the daemon is stopping
   */
  Result run() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    removeStaleDirectories(tmpRoot); // before the marker: its line is the daemon's, not dropped
    MDC.put(LogFields.REHEARSAL, "true");
    Path dir = null;
    try {
      dir = Files.createTempDirectory(tmpRoot, DIR_PREFIX + ProcessHandle.current().pid() + "-");
      return rehearse(dir, t0);
    } finally {
      MDC.remove(LogFields.REHEARSAL); // a directory left behind is worth a line
      if (dir != null) {
        remove(dir);
      }
    }
  }

  private Result rehearse(Path dir, long t0) throws InterruptedException {
    ServiceConfig copy = privateCopy(service, bird, PASS);
    InputsRef in = new InputsRef(Inputs.of(List.of(copy)));
    BirdFamilyConfig own = new BirdFamilyConfig(bird.family(), dir.resolve("prefixes.conf"),
        bird.variable(), bird.reconfigureCmd(), bird.dummyPrefix(), false, 1, null);
    RehearsalCheck check = new RehearsalCheck(only(checks.apply(copy)),
        only(checks.apply(privateCopy(service, bird, FAIL))));
    ServiceCheck serviceCheck = new ServiceCheck(copy, CheckGroup.single("exec", check),
        IpAssignment.system(), in, InstantSource.system(), System::nanoTime);
    RehearsalScheduler scheduler =
        new RehearsalScheduler(PassScheduler.singleThread("rehearsal-" + bird.family().label()));
    Semaphore passed = new Semaphore(0);
    try (Reconciler reconciler = new Reconciler(own, false, in, due -> 0,
        new PrefixFileStore(own.conf(), false, 1, Clock.systemDefaultZone()), b -> STAND_IN,
        (s, up) -> new ReconfigureResult.Confirmed(""), scheduler, Backoff.DEFAULT,
        Holdoff.DEFAULT, scheduler)) {
      reconciler.onStatus(passed::release);
      reconciler.start();
      serviceCheck.start(Duration.ZERO);
      awaitApplied(reconciler, in, passed);
      int rounds = 0;
      int changes = 0;
      boolean compiled = true;
      while (compiled && rounds < MAX_ROUNDS) {
        jit.await(QUIET_LIMIT);
        long before = jit.compiledMillis();
        for (int i = 0; i < 2 * ROUND_TRIPS; i++) {
          if (Thread.interrupted()) {
            throw new InterruptedException(); // the daemon is stopping
          }
          Health wanted = i % 2 == 0 ? Health.DOWN : Health.UP;
          check.fail = wanted == Health.DOWN;
          Health was = in.current().health(copy.name());
          for (int n = 0; n < MAX_STREAK && in.current().health(copy.name()) != wanted; n++) {
            iterate(serviceCheck, copy.checkTimeout());
          }
          awaitApplied(reconciler, in, passed);
          if (in.current().health(copy.name()) != was) {
            changes++; // not when the command did not pass (no /bin/true on this host)
          }
        }
        rounds++;
        jit.await(QUIET_LIMIT);
        compiled = jit.compiledMillis() != before;
      }
      serviceCheck.retire();
      return new Result(rounds, changes, Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  private static ReactorCheck only(CheckGroup group) {
    return (ReactorCheck) group.members().getFirst().check();
  }

  /** Runs one iteration as the service loops do: begun on the reactor when it can be. */
  private static void iterate(ServiceCheck serviceCheck, Duration timeout)
      throws InterruptedException {
    if (!serviceCheck.nonBlocking()) {
      serviceCheck.iterate();
      return;
    }
    Semaphore done = new Semaphore(0);
    serviceCheck.begin(done::release);
    if (!done.tryAcquire(timeout.plus(PASS_LIMIT).toNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("a check of the rehearsal did not end within "
          + timeout.plus(PASS_LIMIT).toMillis() + " ms");
    }
  }

  /** Waits until the private reconciler applied the latest inputs. */
  private static void awaitApplied(Reconciler reconciler, InputsRef in, Semaphore passed)
      throws InterruptedException {
    long version = in.current().version();
    long deadline = System.nanoTime() + PASS_LIMIT.toNanos();
    while (!reconciler.status().applied(version)) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !passed.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("the private reconciler did not apply a change within "
            + PASS_LIMIT.toMillis() + " ms: " + reconciler.status().lastError());
      }
    }
  }

  /**
   * Returns the service as the rehearsal runs it: {@code checkCmd} as its only check, its prefixes
   * of the family, no custom command (the operator's command must never run for a rehearsal), no
   * IP check (no interface to ask), rise and fall of at most {@link #MAX_STREAK}.
   */
  static ServiceConfig privateCopy(ServiceConfig s, BirdFamilyConfig bird, String checkCmd) {
    List<IpPrefix> prefixes =
        s.prefixes().stream().filter(p -> p.family() == bird.family()).toList();
    return new ServiceConfig(s.name(), checkCmd, s.checkInterval(), s.checkTimeout(),
        Math.min(s.checkRise(), MAX_STREAK), Math.min(s.checkFail(), MAX_STREAK), false,
        s.onDisabled(), s.interfaceName(), true, prefixes, null,
        s.customBirdReconfigureCmdTimeout(), s.onDrain());
  }

  /**
   * Removes the directories earlier rehearsals left under {@code tmpRoot}: a daemon killed, or
   * stopped while its rehearsal was writing, cannot remove its own (under systemd the unit's
   * private {@code /tmp} goes with it; elsewhere they would pile up). Only directories of ours
   * ({@code anycast-healthchecker-rehearsal-PID-…}, or of the first versions,
   * {@code anycast-healthchecker-rehearsal-DIGITS}) whose PID is not running are removed; a
   * symlink of that name is only unlinked.
   */
  static void removeStaleDirectories(Path tmpRoot) {
    try (Stream<Path> all = Files.list(tmpRoot)) {
      List<Path> stale = all.filter(ChangeRehearsal::isStale).sorted().toList();
      stale.forEach(ChangeRehearsal::remove);
      if (!stale.isEmpty()) {
        LOG.info("removed {} directories left in {} by change rehearsals that did not finish"
            + " (the first: {})", stale.size(), tmpRoot, stale.getFirst().getFileName());
      }
    } catch (IOException e) {
      LOG.debug("cannot look for stale rehearsal directories in {}: {}", tmpRoot, e.toString());
    }
  }

  private static boolean isStale(Path p) {
    String name = p.getFileName().toString();
    if (!name.startsWith(DIR_PREFIX)) {
      return false;
    }
    String head = name.substring(DIR_PREFIX.length()).split("-", 2)[0];
    // Digits, and not a running PID: also the first versions' random digits, longer than any PID.
    return !head.isEmpty() && head.chars().allMatch(Character::isDigit)
        && !TempFile.isRunning(head);
  }

  private static void remove(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("failed to remove the change rehearsal's directory {}: {}", dir, e.toString());
    }
  }
}
