package net.anycast.healthchecker.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import net.anycast.healthchecker.config.ChecksConfig;
import net.anycast.healthchecker.process.ProcessResult;
import net.anycast.healthchecker.process.ProcessRunner;

/**
 * Reads the facts {@link CheckSandbox#decide} needs: the daemon's ids, groups and capabilities
 * from {@code /proc/self/status}, the group {@code bird} and {@code check_user}'s ids through
 * {@code getent} and {@code id} (so NSS users count, not only those of /etc/passwd).
 */
public final class SandboxFacts {
  private static final int CAP_SETGID = 6;
  private static final int CAP_SETUID = 7;
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

  private SandboxFacts() {}

  /** Returns the facts of this process for {@code config}. */
  public static CheckSandbox.Facts observe(ChecksConfig config, ProcessRunner runner)
      throws InterruptedException {
    long uid = -1;
    Set<Long> groups = new HashSet<>();
    long capEff = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        String[] f = line.split("\\s+");
        switch (f[0]) {
          case "Uid:" -> uid = Long.parseLong(f[1]);
          case "Groups:" -> {
            for (int i = 1; i < f.length; i++) {
              groups.add(Long.parseLong(f[i]));
            }
          }
          case "CapEff:" -> capEff = Long.parseUnsignedLong(f[1], 16);
          default -> { }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or /proc hidden: nothing can be dropped; decide() warns when it matters.
    }
    OptionalLong bird = output(runner, "getent", "group", "bird")
        .map(s -> s.split(":")).filter(f -> f.length > 2).map(f -> f[2].strip())
        .filter(s -> s.matches("\\d+")).map(s -> OptionalLong.of(Long.parseLong(s)))
        .orElse(OptionalLong.empty());
    Optional<CheckSandbox.UserIds> user = Optional.empty();
    if (config.user().isPresent()) {
      String name = config.user().get();
      Optional<String> u = output(runner, "id", "-u", "--", name).filter(s -> s.matches("\\d+"));
      Optional<String> g = output(runner, "id", "-g", "--", name).filter(s -> s.matches("\\d+"));
      if (u.isPresent() && g.isPresent()) {
        user = Optional.of(new CheckSandbox.UserIds(name, Long.parseLong(u.get()),
            Long.parseLong(g.get())));
      }
    }
    boolean setGid = (capEff >>> CAP_SETGID & 1) == 1;
    boolean setUid = (capEff >>> CAP_SETUID & 1) == 1;
    return new CheckSandbox.Facts(System.getenv(), uid, Set.copyOf(groups), bird,
        setGid && setUid, setGid, user);
  }

  private static Optional<String> output(ProcessRunner runner, String... argv)
      throws InterruptedException {
    return runner.run(List.of(argv), LOOKUP_TIMEOUT) instanceof ProcessResult.Exited e
        && e.exitCode() == 0 ? Optional.of(e.stdout().text().strip()) : Optional.empty();
  }
}
