package net.anycast.healthchecker.schedule;

import java.time.InstantSource;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import net.anycast.healthchecker.check.CheckGroup;
import net.anycast.healthchecker.check.Checks;
import net.anycast.healthchecker.check.IpAssignment;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.process.ChildSetup;
import net.anycast.healthchecker.process.ProcessRunner;
import net.anycast.healthchecker.process.SpawnMethod;
import net.anycast.healthchecker.reactor.Reactors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service loops need from the outside world, in one place so tests can replace it.
 * {@link ServiceLoops} owns the scheduler (and its reactors) and the executor and shuts both
 * down on close.
 *
 * @param scheduler times every loop ({@link Scheduler#of} gives each service its own view)
 * @param executor runs iterations; interrupted by close() to kill in-flight checks
 * @param random draws the {@code splay_startup} delays
 * @param clock the wall clock of what the status shows (when a run started, a change); loop
 *     progress and durations are on the scheduler's monotonic clock
 * @param ip answers "is the prefix on the interface"
 * @param checks makes the checks of an enabled service
 * @param resources closed after the last check stopped (the HTTP checks' clients)
 */
public record LoopContext(
    Scheduler scheduler,
    ExecutorService executor,
    RandomGenerator random,
    InstantSource clock,
    IpAssignment ip,
    Function<ServiceConfig, CheckGroup> checks,
    AutoCloseable resources) {
  private static final Logger LOG = LoggerFactory.getLogger(LoopContext.class);

  /** Returns a context with nothing to close but the scheduler and the executor. */
  public LoopContext(Scheduler scheduler, ExecutorService executor, RandomGenerator random,
      InstantSource clock, IpAssignment ip, Function<ServiceConfig, CheckGroup> checks) {
    this(scheduler, executor, random, clock, ip, checks, () -> {});
  }

  /**
   * Returns the production context: the reactors (one per CPU, at most four) time every loop
   * and run the TCP and plain-HTTP checks; iterations that block get a virtual thread each; the
   * kernel's interface table, {@code check_cmd} run in a session of its own.
   */
  public static LoopContext system(ChildSetup checks) {
    SpawnMethod method = SpawnMethod.preferred();
    if (SpawnMethod.fallback().isPresent()) {
      LOG.warn("checks are started through ProcessBuilder, sh and setsid, at about four times the"
          + " CPU per check (shown by status and anycast_healthchecker_check_spawn_fallback): {}",
          SpawnMethod.fallback().get());
    } else {
      LOG.debug("checks are started by {}", method);
    }
    ProcessRunner runner = new ProcessRunner(method, pid -> {}).withSetup(checks);
    Reactors reactors = Reactors.system();
    ReactorScheduler scheduler = new ReactorScheduler(reactors);
    Checks builtIn = new Checks(runner, reactors, scheduler::nanoTime);
    return new LoopContext(
        scheduler,
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("check-", 0).factory()),
        new Random(),
        InstantSource.system(),
        IpAssignment.system(),
        builtIn::group,
        builtIn);
  }
}
