package net.anycast.healthchecker.schedule;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import net.anycast.healthchecker.check.Check;
import net.anycast.healthchecker.check.ExecCheck;
import net.anycast.healthchecker.check.IpAssignment;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.process.ChildSetup;
import net.anycast.healthchecker.process.ProcessRunner;
import net.anycast.healthchecker.process.SpawnMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service loops need from the outside world, in one place so tests can replace it.
 * {@link ServiceLoops} owns the scheduler and the executor and shuts both down on close.
 *
 * @param scheduler times every loop
 * @param executor runs iterations; interrupted by close() to kill in-flight checks
 * @param random draws the {@code splay_startup} delays
 * @param ip answers "is the prefix on the interface"
 * @param checks makes the check of an enabled service
 */
public record LoopContext(
    Scheduler scheduler,
    ExecutorService executor,
    RandomGenerator random,
    IpAssignment ip,
    Function<ServiceConfig, Check> checks) {
  private static final Logger LOG = LoggerFactory.getLogger(LoopContext.class);

  /**
   * Returns the production context: one timer thread, a virtual thread per iteration, the
   * kernel's interface table, and {@code check_cmd} run in a session of its own.
   */
  public static LoopContext system(ChildSetup checks) {
    SpawnMethod method = SpawnMethod.preferred();
    if (SpawnMethod.fallback().isPresent()) {
      LOG.warn("checks are started through ProcessBuilder and setsid, at about three times the"
          + " CPU per check (shown by status and anycast_healthchecker_check_spawn_fallback): {}",
          SpawnMethod.fallback().get());
    } else {
      LOG.debug("checks are started by {}", method);
    }
    ProcessRunner runner = new ProcessRunner(method, pid -> {}).withSetup(checks);
    return new LoopContext(
        new TimerScheduler(),
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("check-", 0).factory()),
        new Random(),
        IpAssignment.system(),
        service -> new ExecCheck(service.checkCmd(), runner));
  }
}
