package net.anycast.healthchecker.process;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How {@link ProcessRunner} starts commands. {@link #preferred()} is {@link #POSIX_SPAWN} where it
 * links, else {@link #JDK}; the system property {@value #PROPERTY} ({@code posix_spawn} or
 * {@code jdk}) overrides it, e.g. through {@code ANYCAST_HEALTHCHECKER_JAVA_OPTS}.
 */
public enum SpawnMethod {
  /** One {@code posix_spawnp} in a new session, watched by one epoll thread for all children. */
  POSIX_SPAWN,
  /** {@link ProcessBuilder} running a gate shell, then {@code setsid}: four execs and a reaper. */
  JDK;

  /** The system property that picks the method. */
  public static final String PROPERTY = "anycast.healthchecker.spawn";

  /** Returns the method the system property asks for, else the best one available. */
  public static SpawnMethod preferred() {
    if (JDK.isAsked()) {
      return JDK;
    }
    return POSIX_SPAWN.available() ? POSIX_SPAWN : JDK;
  }

  /** Returns true when the system property names this method. */
  public boolean isAsked() {
    String asked = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    return asked.equals(name().toLowerCase(Locale.ROOT));
  }

  /** Returns true when this method works on this platform. */
  public boolean available() {
    return this == JDK || PosixSpawner.instance().isPresent();
  }

  /**
   * Returns why checks are started through the JDK although nobody asked for it: posix_spawn
   * with pidfds cannot be used here (glibc before 2.36 lacks {@code pidfd_open}, Linux before
   * 5.3 refuses it), or the thread watching the children gave up. Empty otherwise.
   */
  public static Optional<String> fallback() {
    if (JDK.isAsked()) {
      return Optional.empty();
    }
    Optional<String> link = LinuxCalls.linkFailure();
    if (link.isPresent()) {
      return Optional.of("posix_spawn with pidfds is not usable here (it needs glibc 2.36 and"
          + " Linux 5.3): " + link.get());
    }
    return PosixSpawner.instance().filter(s -> s.reactor().gaveUp())
        .map(s -> "the thread watching check processes failed too often");
  }

  /**
   * Returns when (monotonic nanoseconds) the thread watching this method's check processes last
   * turned, for a watchdog; empty when the method needs no such thread. It advances at least
   * every second while the watch works, and stops for good when the watch gave up.
   */
  public OptionalLong watchProgressNanos() {
    return this == POSIX_SPAWN && PosixSpawner.instance().isPresent()
        ? OptionalLong.of(PosixSpawner.instance().get().reactor().lastTurnNanos())
        : OptionalLong.empty();
  }

  Spawner spawner() {
    return switch (this) {
      case JDK -> new JdkSpawner();
      case POSIX_SPAWN ->
          PosixSpawner.instance()
              .orElseThrow(() -> new IllegalStateException("posix_spawn is not available here"));
    };
  }
}
