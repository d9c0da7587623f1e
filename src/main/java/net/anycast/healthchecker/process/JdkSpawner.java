package net.anycast.healthchecker.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts commands through the JDK's {@link ProcessBuilder} as {@code setsid -- <argv…>}: three
 * execs per command ({@code jspawnhelper}, {@code setsid}, the command). The fallback where
 * {@link PosixSpawner} cannot be linked, and what {@link SpawnMethod#JDK} selects.
 */
final class JdkSpawner implements Spawner {
  private static final String SETSID = "/usr/bin/setsid";
  private static final File DEV_NULL = new File("/dev/null");

  @Override
  public Child start(List<String> argv, Map<String, String> environment) throws IOException {
    List<String> full = new ArrayList<>(argv.size() + 2);
    full.add(SETSID);
    full.add("--"); // argv[0] is never taken for a setsid option
    full.addAll(argv);
    try {
      ProcessBuilder pb = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
      pb.environment().clear();
      pb.environment().putAll(environment);
      return new JdkChild(pb.start());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
