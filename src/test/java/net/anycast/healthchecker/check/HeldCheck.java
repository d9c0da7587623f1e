package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/** A reactor check whose runs end when the test says so, with the result it gives. */
final class HeldCheck implements ReactorCheck {
  private final Deque<Consumer<CheckResult>> inFlight = new ArrayDeque<>();

  @Override
  public void begin(Duration timeout, Consumer<CheckResult> done) {
    inFlight.add(done);
  }

  /** Returns how many runs have begun and not ended. */
  int inFlight() {
    return inFlight.size();
  }

  /** Ends the oldest run with {@code result}. */
  void end(CheckResult result) {
    inFlight.removeFirst().accept(result);
  }

  @Override
  public String describe() {
    return "held";
  }
}
