package net.anycast.healthchecker.bird;

/**
 * Tells one BIRD to load its configuration again: the {@code birdc} command
 * ({@link BirdcCommand}) or BIRD's control socket ({@link BirdSocket}).
 */
public interface BirdControl extends AutoCloseable {
  /** Returns whether BIRD confirmed loading its configuration. Never throws for BIRD's errors. */
  ReconfigureResult reconfigure() throws InterruptedException;

  /** Returns what this control talks to, for log lines ({@code birdc …} or the socket path). */
  String describe();

  /** Releases what the control keeps open between reconfigures; the default keeps nothing. */
  @Override
  default void close() {}
}
