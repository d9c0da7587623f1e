package net.anycast.healthchecker.bird;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A BirdControl that records each call and answers from a script (default: confirmed). */
final class RecordingControl implements BirdControl {
  final List<String> calls = new ArrayList<>();
  /** Every reconfigure as "configure", and what tests add beside it, in order. */
  final List<String> timeline = new ArrayList<>();
  boolean closed;
  final Deque<ReconfigureResult> answers = new ArrayDeque<>();
  /** Run inside each reconfigure, e.g. to publish changes "while BIRD is busy". */
  Runnable during = () -> {};

  @Override
  public ReconfigureResult reconfigure() {
    calls.add("configure");
    timeline.add("configure");
    Runnable r = during;
    during = () -> {};
    r.run();
    return answers.isEmpty() ? new ReconfigureResult.Confirmed("Reconfigured") : answers.poll();
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String describe() {
    return "recording fake";
  }

  int count() {
    return calls.size();
  }
}
