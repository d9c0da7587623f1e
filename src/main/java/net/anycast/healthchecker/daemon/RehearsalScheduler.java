package net.anycast.healthchecker.daemon;

import java.time.Duration;
import net.anycast.healthchecker.bird.PassScheduler;
import net.anycast.healthchecker.logging.LogFields;
import org.slf4j.MDC;

/**
 * The change rehearsal's reconciler thread: a production pass scheduler whose passes carry
 * {@link LogFields#REHEARSAL}, so their log lines are dropped too.
 */
record RehearsalScheduler(PassScheduler.SingleThread thread)
    implements PassScheduler, AutoCloseable {
  @Override
  public void schedule(Runnable task, Duration delay) {
    thread.schedule(() -> {
      MDC.put(LogFields.REHEARSAL, "true");
      task.run();
    }, delay);
  }

  @Override
  public long nanoTime() {
    return thread.nanoTime();
  }

  @Override
  public void close() {
    thread.close();
  }
}
