package net.anycast.healthchecker.process;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The glibc and Linux calls the direct spawner needs, bound through FFM: {@code posix_spawnp}
 * with its file actions and attributes, {@code pipe2}, {@code pidfd_open}, {@code epoll_*},
 * {@code read}, {@code waitpid} and {@code close}.
 *
 * <p>Written by hand because the JDK offers none of them: {@code ProcessBuilder} always spawns
 * through {@code jspawnhelper} and cannot start a process in a new session, and no maintained
 * library binds these calls for the FFM API. Each wrapper throws an {@link IOException} naming
 * the call and {@code strerror(errno)}, so a caller never sees a bare return code.
 *
 * <p>Linked once; {@link #link()} is empty when any symbol is missing (glibc older than 2.36,
 * another libc, no native access), and the runner then uses the JDK's spawning instead.
 */
final class LinuxCalls {
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLL_CTL_DEL = 2;
  static final int EPOLL_CTL_MOD = 3;
  static final int EPOLLIN = 0x001;
  static final int EPOLLHUP = 0x010;
  /** Reported once, then disabled until re-armed with EPOLL_CTL_MOD. */
  static final int EPOLLONESHOT = 1 << 30;
  static final int WNOHANG = 1;
  /** What {@link #reap} returns for a process that has not exited. */
  static final int NOT_YET = Integer.MIN_VALUE;
  static final int EFD_NONBLOCK = 0x800;
  static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  static final short POSIX_SPAWN_SETSID = 0x80;

  /**
   * Bytes reserved for glibc's opaque {@code posix_spawn_file_actions_t} (80 on x86-64) and
   * {@code posix_spawnattr_t} (336) and {@code sigset_t} (128): generous, since the calls only
   * write within their real size.
   */
  static final long OPAQUE_SIZE = 1024;

  /**
   * {@code struct epoll_event}: packed on x86-64 (12 bytes), naturally aligned elsewhere (16).
   */
  static final StructLayout EPOLL_EVENT = epollEventLayout();

  private static final VarHandle EVENTS = EPOLL_EVENT.varHandle(MemoryLayout.PathElement.groupElement("events"));
  private static final VarHandle DATA = EPOLL_EVENT.varHandle(MemoryLayout.PathElement.groupElement("data"));
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO_HANDLE =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  /** The bound calls, or why they could not be bound. */
  private record Linking(Optional<LinuxCalls> calls, String failure) {}

  private static final Linking LINKING = tryLink();

  private final MethodHandle pipe2;
  private final MethodHandle faInit;
  private final MethodHandle faDestroy;
  private final MethodHandle faAddOpen;
  private final MethodHandle faAddDup2;
  private final MethodHandle faAddCloseFrom;
  private final MethodHandle attrInit;
  private final MethodHandle attrSetFlags;
  private final MethodHandle attrSetSigMask;
  private final MethodHandle attrSetSigDefault;
  private final MethodHandle sigEmptySet;
  private final MethodHandle sigFillSet;
  private final MethodHandle posixSpawnp;
  private final MethodHandle pidfdOpen;
  private final MethodHandle epollCreate1;
  private final MethodHandle epollCtl;
  private final MethodHandle epollWait;
  private final MethodHandle read;
  private final MethodHandle waitpid;
  private final MethodHandle close;
  private final MethodHandle eventfd;
  private final MethodHandle write;
  private final MethodHandle strerror;

  private LinuxCalls(Binder libc) {
    pipe2 = libc.withErrno("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
    faInit = libc.plain("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
    faDestroy = libc.plain("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
    faAddOpen = libc.plain("posix_spawn_file_actions_addopen",
        JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    faAddDup2 = libc.plain("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    faAddCloseFrom = libc.plain("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS, JAVA_INT);
    attrInit = libc.plain("posix_spawnattr_init", JAVA_INT, ADDRESS);
    attrSetFlags = libc.plain("posix_spawnattr_setflags", JAVA_INT, ADDRESS, JAVA_SHORT);
    attrSetSigMask = libc.plain("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
    attrSetSigDefault = libc.plain("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
    sigEmptySet = libc.plain("sigemptyset", JAVA_INT, ADDRESS);
    sigFillSet = libc.plain("sigfillset", JAVA_INT, ADDRESS);
    posixSpawnp = libc.plain("posix_spawnp",
        JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    pidfdOpen = libc.withErrno("pidfd_open", JAVA_INT, JAVA_INT, JAVA_INT);
    epollCreate1 = libc.withErrno("epoll_create1", JAVA_INT, JAVA_INT);
    epollCtl = libc.withErrno("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    epollWait = libc.withErrno("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    read = libc.withErrno("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    waitpid = libc.withErrno("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    close = libc.plain("close", JAVA_INT, JAVA_INT);
    eventfd = libc.withErrno("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    write = libc.withErrno("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    strerror = libc.plain("strerror", ADDRESS, JAVA_INT);
  }

  /** Looks up libc symbols and makes downcall handles, with or without errno capture. */
  @SuppressWarnings("restricted") // the jar manifest and surefire enable native access
  private record Binder(Linker linker, SymbolLookup libc) {
    MethodHandle plain(String name, MemoryLayout result, MemoryLayout... args) {
      return linker.downcallHandle(find(name), FunctionDescriptor.of(result, args));
    }

    MethodHandle withErrno(String name, MemoryLayout result, MemoryLayout... args) {
      return linker.downcallHandle(find(name), FunctionDescriptor.of(result, args), ERRNO);
    }

    private MemorySegment find(String name) {
      return libc.find(name).orElseThrow(() -> new IllegalStateException("libc lacks " + name));
    }
  }

  /** Returns the bound calls, or empty when this platform lacks one of them. */
  static Optional<LinuxCalls> link() {
    return LINKING.calls();
  }

  /** Returns why {@link #link()} is empty (a missing symbol, an old kernel); empty when linked. */
  static Optional<String> linkFailure() {
    return LINKING.calls().isPresent() ? Optional.empty() : Optional.of(LINKING.failure());
  }

  @SuppressWarnings("restricted") // the jar manifest and surefire enable native access
  private static Linking tryLink() {
    if (!"Linux".equals(System.getProperty("os.name"))) {
      return new Linking(Optional.empty(), "not Linux");
    }
    try {
      Linker linker = Linker.nativeLinker();
      LinuxCalls calls = new LinuxCalls(new Binder(linker, linker.defaultLookup()));
      // pidfd_open exists in glibc 2.36 but needs Linux 5.3: prove it works on this kernel.
      int self = (int) ProcessHandle.current().pid();
      calls.close(calls.pidfdOpen(self));
      return new Linking(Optional.of(calls), "");
    } catch (RuntimeException | LinkageError | IOException e) {
      return new Linking(Optional.empty(), String.valueOf(e.getMessage()));
    }
  }

  private static StructLayout epollEventLayout() {
    if ("amd64".equals(System.getProperty("os.arch"))) {
      return MemoryLayout.structLayout(
          JAVA_INT.withName("events"), JAVA_LONG.withByteAlignment(4).withName("data"));
    }
    return MemoryLayout.structLayout(
        JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4), JAVA_LONG.withName("data"));
  }

  // --- pipes, file descriptors, processes ------------------------------------------------

  /** Returns {read end, write end} of a new pipe, both close-on-exec. */
  int[] pipe() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      return pipe(arena.allocate(JAVA_INT, 2), arena.allocate(CALL_STATE));
    }
  }

  /**
   * Returns {read end, write end} of a new pipe, both close-on-exec; {@code fds} (two ints) and
   * {@code state} are the caller's scratch memory, so a spawn needs one arena, not one per call.
   */
  int[] pipe(MemorySegment fds, MemorySegment state) throws IOException {
    int r = exact(() -> (int) pipe2.invokeExact(state, fds, O_CLOEXEC));
    check(r, state, "pipe2");
    return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
  }

  /** Returns a pidfd for {@code pid}: readable once the process exited. */
  int pidfdOpen(int pid) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      return pidfdOpen(pid, arena.allocate(CALL_STATE));
    }
  }

  /** As {@link #pidfdOpen(int)}, with the caller's {@code state}. */
  int pidfdOpen(int pid, MemorySegment state) throws IOException {
    int fd = exact(() -> (int) pidfdOpen.invokeExact(state, pid, 0));
    check(fd, state, "pidfd_open");
    return fd;
  }

  /** Closes {@code fd}; errors are ignored, as after close(2) the descriptor is gone anyway. */
  void close(int fd) {
    if (fd >= 0) {
      exact(() -> (int) close.invokeExact(fd));
    }
  }

  /**
   * Returns bytes read from {@code fd} into {@code buffer}, 0 at end of file, or -1 when the read
   * would block or failed with anything but EINTR (which is retried).
   */
  long read(int fd, MemorySegment buffer, MemorySegment state) {
    while (true) {
      long n = exact(() -> (long) read.invokeExact(state, fd, buffer, buffer.byteSize()));
      if (n >= 0) {
        return n;
      }
      if (errno(state) != EINTR) {
        return -1;
      }
    }
  }

  /**
   * Reaps {@code pid} if it exited: returns its wait status (never negative), {@link #NOT_YET}
   * when it is still running, or {@code -errno} when it cannot be waited for.
   */
  int reap(int pid, MemorySegment status, MemorySegment state) {
    while (true) {
      int r = exact(() -> (int) waitpid.invokeExact(state, pid, status, WNOHANG));
      if (r == pid) {
        return status.get(JAVA_INT, 0) & 0xffff;
      }
      if (r == 0) {
        return NOT_YET;
      }
      int errno = errno(state);
      if (errno != EINTR) {
        return -errno;
      }
    }
  }

  /** Returns a wait status as an exit code: the code, or 128 + n after signal n (as a shell). */
  static int exitCodeOf(int waitStatus) {
    int signal = waitStatus & 0x7f;
    return signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal;
  }

  /** Returns a new non-blocking, close-on-exec eventfd: the reactor's doorbell. */
  int eventfd() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int fd = exact(() -> (int) eventfd.invokeExact(state, 0, O_CLOEXEC | EFD_NONBLOCK));
      check(fd, state, "eventfd");
      return fd;
    }
  }

  /** Adds one to eventfd {@code fd}'s counter, waking whoever polls it. */
  void ring(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
      MemorySegment state = arena.allocate(CALL_STATE);
      exact(() -> (long) write.invokeExact(state, fd, one, 8L));
    }
  }

  // --- epoll ---------------------------------------------------------------------------

  int epollCreate() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int fd = (int) invoke(epollCreate1, state, O_CLOEXEC);
      check(fd, state, "epoll_create1");
      return fd;
    }
  }

  /** Adds {@code fd} to {@code epfd} for input (level-triggered), tagged with {@code token}. */
  void epollAdd(int epfd, int fd, long token) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      epollCtl(epfd, EPOLL_CTL_ADD, fd, EPOLLIN, token, arena.allocate(EPOLL_EVENT),
          arena.allocate(CALL_STATE));
    }
  }

  /**
   * Adds ({@link #EPOLL_CTL_ADD}) or re-arms ({@link #EPOLL_CTL_MOD}) {@code fd} in {@code epfd}
   * for {@code events}, tagged with {@code token}; {@code event} (one {@link #EPOLL_EVENT}) and
   * {@code state} are the caller's scratch memory.
   */
  void epollCtl(int epfd, int op, int fd, int events, long token, MemorySegment event,
      MemorySegment state) throws IOException {
    EVENTS.set(event, 0L, events);
    DATA.set(event, 0L, token);
    check(exact(() -> (int) epollCtl.invokeExact(state, epfd, op, fd, event)), state, "epoll_ctl");
  }

  /**
   * Takes {@code fd} out of {@code epfd}; errors are ignored (the descriptor is closed next).
   *
   * <p>Why not rely on close(2) to do it: epoll forgets a descriptor only when the last
   * reference to its open file goes, and a check being spawned on another thread holds copies
   * of every descriptor of the JVM from its clone until its close_range. Closed while such a
   * copy lives, a finished child's pipe or pidfd stays in the set, level-triggered and
   * readable, and epoll_wait returns it again and again with nobody left to read it: measured
   * as thousands of empty wake-ups a second and most of the reactor's CPU.
   */
  void epollDel(int epfd, int fd, MemorySegment state) {
    exact(() -> (int) epollCtl.invokeExact(state, epfd, EPOLL_CTL_DEL, fd, MemorySegment.NULL));
  }

  /** Waits for events into {@code events}; returns how many, 0 on timeout or EINTR. */
  int epollWait(int epfd, MemorySegment events, int timeoutMillis, MemorySegment state)
      throws IOException {
    int max = (int) (events.byteSize() / EPOLL_EVENT.byteSize());
    int n = exact(() -> (int) epollWait.invokeExact(state, epfd, events, max, timeoutMillis));
    if (n < 0) {
      if (errno(state) == EINTR) {
        return 0;
      }
      throw failure("epoll_wait", errno(state));
    }
    return n;
  }

  static long eventData(MemorySegment events, int index) {
    return (long) DATA.get(events, index * EPOLL_EVENT.byteSize());
  }

  /** Returns the event bits ({@link #EPOLLIN}, {@link #EPOLLHUP}, …) of event {@code index}. */
  static int eventBits(MemorySegment events, int index) {
    return (int) EVENTS.get(events, index * EPOLL_EVENT.byteSize());
  }

  static MemorySegment allocateState(Arena arena) {
    return arena.allocate(CALL_STATE);
  }

  // --- posix_spawn ----------------------------------------------------------------------

  /**
   * Returns an attribute set, allocated in {@code arena}, that starts the child in a session of
   * its own with no signal blocked and every signal at its default action: a check must not
   * inherit the JVM's handlers, ignored signals or mask.
   */
  MemorySegment sessionAttributes(Arena arena) throws IOException {
    MemorySegment attr = arena.allocate(OPAQUE_SIZE, 16);
    MemorySegment empty = arena.allocate(OPAQUE_SIZE, 16);
    MemorySegment full = arena.allocate(OPAQUE_SIZE, 16);
    zero((int) invoke(attrInit, attr), "posix_spawnattr_init");
    zero((int) invoke(sigEmptySet, empty), "sigemptyset");
    zero((int) invoke(sigFillSet, full), "sigfillset");
    // glibc's sigfillset leaves out its two internal signals (32 and 33, used for thread
    // cancellation and setxid), and its posix_spawn sets those to SIG_IGN in the child unless
    // they are in the default set: the check would start with them ignored. Set their bits by
    // hand (bit n-1 of the first word is signal n).
    full.set(JAVA_LONG, 0, full.get(JAVA_LONG, 0) | 1L << 31 | 1L << 32);
    zero((int) invoke(attrSetSigMask, attr, empty), "posix_spawnattr_setsigmask");
    zero((int) invoke(attrSetSigDefault, attr, full), "posix_spawnattr_setsigdefault");
    short flags = POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    zero((int) invoke(attrSetFlags, attr, flags), "posix_spawnattr_setflags");
    return attr;
  }

  /**
   * Starts {@code argv} (searched on PATH as execvp does) with stdin from /dev/null, stdout and
   * stderr to the given pipe write ends, and no other descriptor; returns its pid.
   *
   * @throws IOException naming the error when the program could not be started (not found, not
   *     executable, fork failed): glibc reports exec failures of the child to the caller
   */
  int spawn(
      Arena arena,
      MemorySegment attributes,
      MemorySegment argv,
      MemorySegment envp,
      MemorySegment devNull,
      int stdoutFd,
      int stderrFd)
      throws IOException {
    MemorySegment actions = arena.allocate(OPAQUE_SIZE, 16);
    zero(exact(() -> (int) faInit.invokeExact(actions)), "posix_spawn_file_actions_init");
    try {
      zero(
          exact(() -> (int) faAddOpen.invokeExact(actions, 0, devNull, O_RDONLY, 0)),
          "posix_spawn_file_actions_addopen");
      zero(
          exact(() -> (int) faAddDup2.invokeExact(actions, stdoutFd, 1)),
          "posix_spawn_file_actions_adddup2");
      zero(
          exact(() -> (int) faAddDup2.invokeExact(actions, stderrFd, 2)),
          "posix_spawn_file_actions_adddup2");
      zero(
          exact(() -> (int) faAddCloseFrom.invokeExact(actions, 3)),
          "posix_spawn_file_actions_addclosefrom_np");
      MemorySegment pid = arena.allocate(JAVA_INT);
      MemorySegment file = argv.getAtIndex(ADDRESS, 0);
      int r =
          exact(() -> (int) posixSpawnp.invokeExact(pid, file, actions, attributes, argv, envp));
      if (r != 0) {
        throw new IOException(strerror(r));
      }
      return pid.get(JAVA_INT, 0);
    } finally {
      exact(() -> (int) faDestroy.invokeExact(actions));
    }
  }

  // --- errors ---------------------------------------------------------------------------

  static int errno(MemorySegment state) {
    return (int) ERRNO_HANDLE.get(state, 0L);
  }

  String strerror(int errno) {
    MemorySegment text = (MemorySegment) invoke(strerror, errno);
    return text.equals(MemorySegment.NULL)
        ? "errno " + errno
        : text.reinterpret(256).getString(0);
  }

  private void check(int result, MemorySegment state, String call) throws IOException {
    if (result < 0) {
      throw failure(call, errno(state));
    }
  }

  private void zero(int result, String call) throws IOException {
    if (result != 0) {
      throw failure(call, result);
    }
  }

  private IOException failure(String call, int errno) {
    return new IOException(call + ": " + strerror(errno));
  }

  /** A call through {@code invokeExact}: the hot paths avoid invokeWithArguments' boxing. */
  @FunctionalInterface
  private interface NativeCall<T> {
    T call() throws Throwable;
  }

  private static <T> T exact(NativeCall<T> call) {
    try {
      return call.call();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object invoke(MethodHandle handle, Object... args) {
    try {
      return handle.invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
