package net.anycast.healthchecker.override;

/**
 * Tells a {@link SpoolWatcher} that its directory may have changed. Production uses
 * {@link InotifyEvents}; unit tests a fake they fire by hand.
 */
interface DirectoryEvents extends AutoCloseable {
  /** Starts calling {@code onChange} (from any thread) after changes; returns at once. */
  void start(Runnable onChange);

  /** Stops; {@code onChange} is not called after this returns. */
  @Override
  void close();
}
