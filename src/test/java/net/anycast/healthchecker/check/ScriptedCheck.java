package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import net.anycast.healthchecker.process.CapturedOutput;

/** A check that returns results from a script, recording how often it ran. */
final class ScriptedCheck implements Check {
  private final Deque<CheckResult> script = new ArrayDeque<>();
  private int runs;

  static CheckResult pass() {
    return new CheckResult.Passed(Duration.ofMillis(5));
  }

  static CheckResult fail() {
    return new CheckResult.Exited(Duration.ofMillis(7), 2, new CapturedOutput("so", 0),
        new CapturedOutput("se", 0));
  }

  /** A run that exited with {@code code} (128 + n when killed by signal n). */
  static CheckResult exit(int code) {
    return new CheckResult.Exited(Duration.ofMillis(7), code, new CapturedOutput("", 0),
        new CapturedOutput("", 0));
  }

  static CheckResult timeout() {
    return new CheckResult.TimedOut(Duration.ofSeconds(2));
  }

  ScriptedCheck then(CheckResult... results) {
    script.addAll(java.util.List.of(results));
    return this;
  }

  int runs() {
    return runs;
  }

  @Override
  public CheckResult run(Duration timeout) {
    runs++;
    if (script.isEmpty()) {
      throw new IllegalStateException("script exhausted");
    }
    return script.removeFirst();
  }

  @Override
  public String describe() {
    return "scripted";
  }
}
