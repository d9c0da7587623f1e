package net.anycast.healthchecker.process;

/** Lets tests of other packages ask whether group kills work here. */
public final class ProcessGroupKillAccess {
  private ProcessGroupKillAccess() {}

  /** Returns true when libc's kill is linked through FFM. */
  public static boolean available() {
    return ProcessGroupKill.available();
  }
}
