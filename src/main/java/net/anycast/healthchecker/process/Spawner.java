package net.anycast.healthchecker.process;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Starts a command in a session of its own, stdin from /dev/null, stdout and stderr captured. */
sealed interface Spawner permits JdkSpawner, PosixSpawner {

  /**
   * Returns the started command.
   *
   * @throws IOException naming why it could not be started
   */
  Child start(List<String> argv, Map<String, String> environment) throws IOException;
}
