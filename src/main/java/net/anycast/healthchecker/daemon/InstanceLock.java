package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.util.Properties;

/**
 * One daemon per host (per network namespace): like the original, the lock is the abstract Unix
 * socket {@code @anycast-healthchecker}, which the kernel releases when the process dies however
 * it dies, so a crash never leaves a stale lock behind.
 */
public final class InstanceLock implements AutoCloseable {
  /** The original's lock name, so our daemon and a still-running Python one exclude each other. */
  public static final String DEFAULT_NAME = "anycast-healthchecker";
  /**
   * The system property that names another lock: the launcher's AOT training run sets it, so that
   * it can run beside the host's daemon. Not for operators: two daemons must not share a host.
   */
  public static final String NAME_PROPERTY = "anycast.healthchecker.instance-lock";

  private final UnixDatagramSocket socket;

  private InstanceLock(UnixDatagramSocket socket) {
    this.socket = socket;
  }

  /** Returns the lock's name: {@value #NAME_PROPERTY} when set and not blank, else the default. */
  public static String name(Properties properties) {
    String name = properties.getProperty(NAME_PROPERTY, "");
    return name.isBlank() ? DEFAULT_NAME : name;
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
