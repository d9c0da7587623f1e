package net.anycast.healthchecker.daemon;

import java.time.Duration;
import java.util.function.Consumer;
import net.anycast.healthchecker.check.CheckResult;
import net.anycast.healthchecker.check.ReactorCheck;
import net.anycast.healthchecker.logging.LogFields;
import org.slf4j.MDC;

/**
 * The change rehearsal's check: runs the failing command while told to fail, the passing one
 * otherwise, each made by the service loops' own check machinery.
 */
final class RehearsalCheck implements ReactorCheck {
  private final ReactorCheck passing;
  private final ReactorCheck failing;
  volatile boolean fail;

  RehearsalCheck(ReactorCheck passing, ReactorCheck failing) {
    this.passing = passing;
    this.failing = failing;
  }

  private ReactorCheck now() {
    return fail ? failing : passing;
  }

  @Override
  public boolean nonBlocking() {
    return passing.nonBlocking() && failing.nonBlocking();
  }

  /**
   * Begins the command; its result is concluded on the reactor's thread, which the real checks
   * share, so the marker that drops the rehearsal's lines is set there for that call only.
   */
  @Override
  public void begin(Duration timeout, Consumer<CheckResult> done) {
    now().begin(timeout, result -> {
      MDC.put(LogFields.REHEARSAL, "true");
      try {
        done.accept(result);
      } finally {
        MDC.remove(LogFields.REHEARSAL);
      }
    });
  }

  @Override
  public CheckResult run(Duration timeout) throws InterruptedException {
    return now().run(timeout);
  }

  @Override
  public String describe() {
    return now().describe();
  }
}
