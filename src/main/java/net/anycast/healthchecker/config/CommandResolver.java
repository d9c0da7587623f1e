package net.anycast.healthchecker.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.anycast.healthchecker.process.Shlex;

/**
 * Tells whether a command line could be executed, without running it.
 *
 * <p>The original checks {@code check_cmd} by starting it and killing it at once, which runs
 * arbitrary health checks during {@code --check}. We split the line like the original does
 * (shlex) and resolve the program the way {@code execvp} would: a name with a slash is a
 * path, anything else is searched on {@code PATH}.
 */
final class CommandResolver {
  private final String pathVariable;

  CommandResolver(String pathVariable) {
    this.pathVariable = pathVariable == null ? "" : pathVariable;
  }

  /** Returns what is wrong with {@code commandLine}, or empty when it can be executed. */
  Optional<String> problem(String commandLine) {
    List<String> argv;
    try {
      argv = Shlex.split(commandLine);
    } catch (IllegalArgumentException e) {
      return Optional.of("cannot be split into words (" + e.getMessage() + ");"
          + " quote it like a POSIX shell would");
    }
    if (argv.isEmpty()) {
      return Optional.of("has no program to run");
    }
    String program = argv.getFirst();
    if (program.contains("/")) {
      return executableProblem(program);
    }
    for (String dir : pathVariable.split(":")) {
      Path candidate;
      try {
        candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      } catch (InvalidPathException e) {
        continue;
      }
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.empty();
      }
    }
    return Optional.of("program '" + program + "' was not found on PATH (" + pathVariable
        + "); use an absolute path or install it");
  }

  private static Optional<String> executableProblem(String program) {
    Path path;
    try {
      path = Path.of(program);
    } catch (InvalidPathException e) {
      return Optional.of("'" + program + "' is not a valid path");
    }
    if (!Files.exists(path)) {
      return Optional.of("program " + program + " doesn't exist");
    }
    if (!Files.isRegularFile(path)) {
      return Optional.of("program " + program + " is not a regular file");
    }
    if (!Files.isExecutable(path)) {
      return Optional.of("program " + program + " is not executable (chmod +x it)");
    }
    return Optional.empty();
  }
}
