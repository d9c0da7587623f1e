package net.anycast.healthchecker.daemon;

import java.io.IOException;

/**
 * One daemon per host (per network namespace): like the original, the lock is the abstract Unix
 * socket {@code @anycast-healthchecker}, which the kernel releases when the process dies however
 * it dies, so a crash never leaves a stale lock behind.
 */
public final class InstanceLock implements AutoCloseable {
  /** The original's lock name, so our daemon and a still-running Python one exclude each other. */
  public static final String DEFAULT_NAME = "anycast-healthchecker";

  private final UnixDatagramSocket socket;

  private InstanceLock(UnixDatagramSocket socket) {
    this.socket = socket;
  }

  /**
   * Returns the held lock {@code @name}.
   *
   * @throws LockFailedException when another process holds it (or the socket cannot be made)
   */
  public static InstanceLock acquire(String name) throws LockFailedException {
    UnixDatagramSocket socket;
    try {
      socket = UnixDatagramSocket.open();
    } catch (IOException e) {
      throw new LockFailedException(message(e), e);
    }
    try {
      socket.bind("@" + name);
      return new InstanceLock(socket);
    } catch (IOException e) {
      socket.close();
      throw new LockFailedException(message(e), e);
    }
  }

  private static String message(IOException e) {
    return "failed to acquire a lock by creating an abstract namespace socket: " + e.getMessage();
  }

  @Override
  public void close() {
    socket.close();
  }

  /** Another instance runs (the message is the one the original prints before exiting 1). */
  public static final class LockFailedException extends Exception {
    LockFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
