package net.anycast.healthchecker.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import net.anycast.healthchecker.config.CheckMode;

/**
 * The checks of one service and how their results combine ({@code check_mode}). With
 * {@link #run}, one check runs on the caller's thread; several run at once, each on a virtual
 * thread of its own, so one iteration takes at most {@code check_timeout} however many checks the
 * service has. When every check is a {@link ReactorCheck}, {@link #begin} starts them all at once
 * without any thread.
 */
public final class CheckGroup {
  /** One check with its kind ({@code exec}, {@code http}, {@code tcp}, {@code dns}). */
  public record Member(String kind, Check check) {
    public Member {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(check, "check");
    }
  }

  /** What one run of every check gave, in member order, and whether the run passed. */
  public record Outcome(List<CheckResult> results, boolean passed) {
    public Outcome {
      results = List.copyOf(results);
    }
  }

  private final List<Member> members;
  private final CheckMode mode;

  /** Returns the group; {@code mode} is checked against the number of members. */
  public CheckGroup(List<Member> members, CheckMode mode) {
    this.members = List.copyOf(members);
    this.mode = Objects.requireNonNull(mode, "mode");
    if (this.members.isEmpty() || mode.needed() > this.members.size()) {
      throw new IllegalArgumentException(
          "check_mode " + mode + " with " + this.members.size() + " checks");
    }
  }

  /** Returns a group of one check of {@code kind}. */
  public static CheckGroup single(String kind, Check check) {
    return new CheckGroup(List.of(new Member(kind, check)), CheckMode.ALL);
  }

  /** Returns the checks, in configuration order. */
  public List<Member> members() {
    return members;
  }

  /** Returns {@code check_mode}. */
  public CheckMode mode() {
    return mode;
  }

  /** Returns the checks' descriptions, for the "running …" log line. */
  public String describe() {
    if (members.size() == 1) {
      return members.getFirst().check().describe();
    }
    List<String> parts = new ArrayList<>();
    members.forEach(m -> parts.add(m.kind() + " " + m.check().describe()));
    return String.join(", ", parts) + " (check_mode = " + mode + ")";
  }

  /** Returns whether every check runs without a thread of its own ({@link ReactorCheck}). */
  public boolean nonBlocking() {
    return members.stream().allMatch(m -> m.check() instanceof ReactorCheck r && r.nonBlocking());
  }

  /**
   * Begins every check once, each within {@code timeout}, and gives their outcome to
   * {@code done} on the thread that ends the last one; only when {@link #nonBlocking}.
   */
  public void begin(Duration timeout, Consumer<Outcome> done) {
    if (members.size() == 1) {
      ((ReactorCheck) members.getFirst().check()).begin(timeout,
          r -> done.accept(new Outcome(List.of(r), r.passed())));
      return;
    }
    CheckResult[] results = new CheckResult[members.size()];
    AtomicInteger left = new AtomicInteger(results.length);
    for (int i = 0; i < results.length; i++) {
      int at = i;
      ((ReactorCheck) members.get(i).check()).begin(timeout, r -> {
        results[at] = r;
        if (left.decrementAndGet() == 0) { // the atomic orders the other checks' writes
          done.accept(outcome(List.of(results)));
        }
      });
    }
  }

  private Outcome outcome(List<CheckResult> results) {
    int passed = (int) results.stream().filter(CheckResult::passed).count();
    return new Outcome(results, mode.passes(passed, results.size()));
  }

  /**
   * Runs every check once, each within {@code timeout}, and returns their results.
   *
   * @throws InterruptedException when the loop is being closed; every check has been stopped
   *     (an exec check's process group killed and reaped) before this returns
   */
  public Outcome run(Duration timeout) throws InterruptedException {
    if (members.size() == 1) {
      CheckResult r = members.getFirst().check().run(timeout);
      return new Outcome(List.of(r), r.passed());
    }
    List<FutureTask<CheckResult>> tasks = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (Member m : members) {
      FutureTask<CheckResult> task = new FutureTask<>(() -> m.check().run(timeout));
      tasks.add(task);
      threads.add(Thread.ofVirtual().name(Thread.currentThread().getName() + "/" + m.kind())
          .start(task));
    }
    List<CheckResult> results = new ArrayList<>();
    try {
      for (FutureTask<CheckResult> task : tasks) {
        results.add(task.get());
      }
    } catch (InterruptedException e) {
      stop(threads);
      throw e;
    } catch (ExecutionException e) {
      stop(threads);
      throw new IllegalStateException("a check threw instead of returning a result", e.getCause());
    }
    return outcome(results);
  }

  /** Interrupts the checks and waits for them: each stops (and reaps) what it started. */
  private static void stop(List<Thread> threads) {
    threads.forEach(Thread::interrupt);
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException again) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
