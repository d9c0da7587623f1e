package net.anycast.healthchecker.daemon;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Undoes a signal's "ignored" disposition inherited from whoever started the daemon. A process
 * started under {@code nohup} (or by a shell that ignores SIGHUP) inherits SIGHUP as ignored, and
 * the JVM then silently refuses to install a handler for it: the daemon never reloaded on SIGHUP,
 * nor through {@code anycast-healthchecker reload}, and said nothing. Here SIGHUP means "reload",
 * which is harmless on a hang-up, so the inherited ignore is reset to the default before the
 * handler is installed.
 *
 * <p>Written by hand through FFM ({@code sigaction}, {@code signal}): the JDK has no call to read
 * or reset a disposition, and no maintained library binds them. The handler is the first member
 * of glibc's {@code struct sigaction} on Linux.
 */
final class InheritedIgnore {
  private static final long SIG_IGN = 1;
  private static final int SIGACTION_SIZE = 256; // glibc's is 152 bytes on x86-64

  private InheritedIgnore() {}

  /**
   * Resets {@code signo} to its default action when it is ignored; returns whether it was. False
   * when it was not, or when the calls cannot be made (then nothing changed).
   */
  static boolean reset(int signo) {
    try {
      Linker linker = Linker.nativeLinker();
      var libc = linker.defaultLookup();
      MethodHandle sigaction = linker.downcallHandle(libc.find("sigaction").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
      MethodHandle signal = linker.downcallHandle(libc.find("signal").orElseThrow(),
          FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment old = arena.allocate(SIGACTION_SIZE, 8);
        int rc = (int) sigaction.invokeExact(signo, MemorySegment.NULL, old);
        if (rc != 0 || old.get(JAVA_LONG, 0) != SIG_IGN) {
          return false;
        }
        MemorySegment previous = (MemorySegment) signal.invokeExact(signo, MemorySegment.NULL);
        return previous.address() == SIG_IGN;
      }
    } catch (Throwable e) { // no native access, another libc: leave it as it is
      return false;
    }
  }
}
