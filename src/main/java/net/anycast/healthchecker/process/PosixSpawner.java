package net.anycast.healthchecker.process;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts commands with one {@code posix_spawnp} each, in a new session
 * ({@code POSIX_SPAWN_SETSID}), and hands them to the {@link ChildReactor}: one exec per command
 * where the JDK needs three, and no thread per child.
 *
 * <p>The child gets the environment it is given and the JVM's working directory, stdin from /dev/null, stdout and stderr into pipes, no other descriptor, no blocked
 * signal and every signal at its default action.
 */
final class PosixSpawner implements Spawner {
  private static final Optional<PosixSpawner> INSTANCE = create();

  private final LinuxCalls calls;
  private final ChildReactor reactor;
  private final MemorySegment attributes;
  /** envp arrays by environment: a runner has one, so this holds one or two for good. */
  private final Map<Map<String, String>, MemorySegment> environments = new ConcurrentHashMap<>();
  private final MemorySegment devNull;
  private final JdkSpawner fallback = new JdkSpawner();

  /** Returns a spawner with a reactor of its own (the production one is {@link #instance()}). */
  PosixSpawner(LinuxCalls calls) throws IOException {
    this.calls = calls;
    Arena forever = Arena.global();
    this.attributes = calls.sessionAttributes(forever);
    this.devNull = forever.allocateFrom("/dev/null");
    this.reactor = ChildReactor.start(calls);
  }

  /** Returns the spawner, or empty when this platform lacks a call it needs. */
  static Optional<PosixSpawner> instance() {
    return INSTANCE;
  }

  private static Optional<PosixSpawner> create() {
    return LinuxCalls.link()
        .flatMap(
            calls -> {
              try {
                return Optional.of(new PosixSpawner(calls));
              } catch (IOException | RuntimeException e) {
                return Optional.empty();
              }
            });
  }

  @Override
  public Child start(List<String> argv, Map<String, String> env) throws IOException {
    MemorySegment environment = environments.computeIfAbsent(env,
        e -> environment(Arena.global(), e));
    if (reactor.gaveUp()) {
      // Nobody would watch a posix_spawn'ed child: checks must go on (a dead watch used to fail
      // them all and withdraw every route) until the watchdog has the daemon restarted.
      return fallback.start(argv, env);
    }
    try (Arena arena = Arena.ofConfined()) { // one scratch arena for every call of the spawn
      MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
      MemorySegment state = LinuxCalls.allocateState(arena);
      int[] out = calls.pipe(fds, state);
      int[] err;
      try {
        err = calls.pipe(fds, state);
      } catch (IOException e) {
        closeAll(out[0], out[1]);
        throw e;
      }
      int pid;
      try {
        pid = calls.spawn(arena, attributes, argv(arena, argv), environment, devNull, out[1],
            err[1]);
      } catch (IOException e) {
        closeAll(out[0], err[0]);
        throw new IOException(argv.getFirst() + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        closeAll(out[0], err[0]);
        throw e;
      } finally {
        closeAll(out[1], err[1]); // the child has its copies; ours would hide its end of file
      }
      // No pidfd yet: the reactor opens one only for a child still running when both its
      // streams ended (most have exited by then), which saves a pidfd_open, its epoll_ctl and
      // its close per check. An unreaped child's pid cannot be reused, so opening it late is
      // safe.
      NativeChild child = new NativeChild(calls, pid, out[0], err[0]);
      reactor.watch(child, arena);
      return child;
    }
  }

  /** Returns how many children the reactor watches now (for tests). */
  int watched() {
    return reactor.watched();
  }

  /** Returns the reactor (for tests that hand it children of their own). */
  ChildReactor reactor() {
    return reactor;
  }

  /** Returns the bound calls (for tests). */
  LinuxCalls calls() {
    return calls;
  }

  private static MemorySegment argv(Arena arena, List<String> argv) {
    MemorySegment array = arena.allocate(ADDRESS, argv.size() + 1L);
    for (int i = 0; i < argv.size(); i++) {
      array.setAtIndex(ADDRESS, i, arena.allocateFrom(argv.get(i)));
    }
    array.setAtIndex(ADDRESS, argv.size(), MemorySegment.NULL);
    return array;
  }

  /** Returns {@code env} as an envp array. */
  private static MemorySegment environment(Arena arena, Map<String, String> env) {
    MemorySegment array = arena.allocate(ADDRESS, env.size() + 1L);
    int i = 0;
    for (Map.Entry<String, String> e : env.entrySet()) {
      array.setAtIndex(ADDRESS, i++, arena.allocateFrom(e.getKey() + "=" + e.getValue()));
    }
    array.setAtIndex(ADDRESS, i, MemorySegment.NULL);
    return array;
  }

  private void closeAll(int... fds) {
    for (int fd : fds) {
      calls.close(fd);
    }
  }
}
