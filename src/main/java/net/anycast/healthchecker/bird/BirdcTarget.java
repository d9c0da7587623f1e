package net.anycast.healthchecker.bird;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which control socket a {@code bird_reconfigure_cmd} talks to, read from the command line: the
 * first word named {@code birdc}, {@code birdc6}, {@code birdcl} or {@code birdcl6} (after
 * {@code sudo} and its options, say), then its {@code -s PATH} option, else the client's built-in
 * path as Debian's packages of BIRD 1.6, 2 and 3 build it ({@code /run/bird/bird.ctl}, or
 * {@code bird6.ctl} for the IPv6 clients of 1.6). Pure: whether the socket exists is the
 * caller's question.
 *
 * <p>Nothing is guessed for other commands (a wrapper script may talk to any BIRD) or for
 * {@code -l} (a socket in the client's working directory).
 */
final class BirdcTarget {
  private static final Path DEBIAN_DIR = Path.of("/run/bird");

  private BirdcTarget() {}

  /** Returns the control socket {@code argv} talks to, or empty when it cannot be told. */
  static Optional<Path> of(List<String> argv) {
    for (int i = 0; i < argv.size(); i++) {
      String name = Path.of(argv.get(i)).getFileName().toString();
      if (!List.of("birdc", "birdc6", "birdcl", "birdcl6").contains(name)) {
        continue;
      }
      for (int j = i + 1; j < argv.size() && argv.get(j).startsWith("-"); j++) {
        String opt = argv.get(j);
        if (opt.equals("-s") && j + 1 < argv.size()) {
          return Optional.of(Path.of(argv.get(j + 1)));
        }
        if (opt.startsWith("-s") && opt.length() > 2) {
          return Optional.of(Path.of(opt.substring(2)));
        }
        if (opt.contains("l")) {
          return Optional.empty();
        }
      }
      return Optional.of(DEBIAN_DIR.resolve(name.endsWith("6") ? "bird6.ctl" : "bird.ctl"));
    }
    return Optional.empty();
  }
}
