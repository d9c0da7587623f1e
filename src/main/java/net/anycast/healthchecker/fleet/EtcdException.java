package net.anycast.healthchecker.fleet;

import java.io.IOException;

/** etcd could not be reached in time, or answered with an error. */
public final class EtcdException extends IOException {
  private static final long serialVersionUID = 1L;

  public EtcdException(String message) {
    super(message);
  }

  public EtcdException(String message, Throwable cause) {
    super(message, cause);
  }
}
