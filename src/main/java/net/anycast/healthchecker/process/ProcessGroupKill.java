package net.anycast.healthchecker.process;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A signal to a whole process group through libc's {@code kill(-pgid, sig)} (or to one process),
 * via FFM: the one binding of {@code kill} in the code base.
 *
 * <p>The JDK can signal single processes only. Commands are started under {@code setsid}, so
 * the command's pid is also its process-group id and everything it forks stays in that group
 * unless it moves itself out (the {@link ProcessHandle#descendants()} fallback covers those).
 */
final class ProcessGroupKill {
  static final int SIGKILL = 9;
  static final int SIGTERM = 15;
  private static final Optional<MethodHandle> KILL = linkKill();

  private ProcessGroupKill() {}

  /**
   * Returns true when {@code signal} was sent to every process in group {@code pgid}; false
   * when the group no longer exists or libc's kill cannot be called (then only the fallback
   * kills).
   */
  static boolean signalGroup(long pgid, int signal) {
    // kill(0, …) and kill(-1, …) would hit our own group or every process we may signal.
    if (pgid <= 1 || pgid > Integer.MAX_VALUE || KILL.isEmpty()) {
      return false;
    }
    try {
      return (int) KILL.get().invokeExact(-(int) pgid, signal) == 0;
    } catch (Throwable e) {
      return false;
    }
  }

  /**
   * Returns true when {@code signal} was sent to the single process {@code pid}; false when it
   * is gone or libc's kill cannot be called. The caller must know the pid is still its own
   * (an unreaped child).
   */
  static boolean signalProcess(long pid, int signal) {
    if (pid <= 1 || pid > Integer.MAX_VALUE || KILL.isEmpty()) {
      return false;
    }
    try {
      return (int) KILL.get().invokeExact((int) pid, signal) == 0;
    } catch (Throwable e) {
      return false;
    }
  }

  /** Returns true when group kills work here (libc linked, native access allowed). */
  static boolean available() {
    return KILL.isPresent();
  }

  @SuppressWarnings("restricted") // the jar manifest and surefire enable native access
  private static Optional<MethodHandle> linkKill() {
    try {
      Linker linker = Linker.nativeLinker();
      return linker
          .defaultLookup()
          .find("kill")
          .map(
              address ->
                  linker.downcallHandle(
                      address,
                      FunctionDescriptor.of(
                          ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)));
    } catch (RuntimeException | LinkageError e) {
      // Policy: without native access the descendants fallback still kills what it can see.
      return Optional.empty();
    }
  }
}
