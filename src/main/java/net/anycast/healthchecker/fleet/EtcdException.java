package net.anycast.healthchecker.fleet;

import java.io.IOException;

/**
 * etcd could not be reached in time, or answered with an error. {@link #memberUnavailable} tells
 * the two apart for the client's failover: another member may serve the first, not the second.
 */
public final class EtcdException extends IOException {
  private static final long serialVersionUID = 1L;
  private static final String UNREACHABLE = "unreachable: ";

  private final boolean memberUnavailable;

  private EtcdException(String message, Throwable cause, boolean memberUnavailable) {
    super(message, cause);
    this.memberUnavailable = memberUnavailable;
  }

  public EtcdException(String message) {
    this(message, null, false);
  }

  public EtcdException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /** Returns an error of a member that did not serve the call ("unreachable: " + what). */
  static EtcdException unreachable(String what, Throwable cause) {
    return new EtcdException(UNREACHABLE + what, cause, true);
  }

  /** Returns whether another member might serve the call (this one is away or leaderless). */
  boolean memberUnavailable() {
    return memberUnavailable;
  }
}
