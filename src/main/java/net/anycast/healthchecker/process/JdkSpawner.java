package net.anycast.healthchecker.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts commands through the JDK's {@link ProcessBuilder} as {@code sh -c GATE sh setsid --
 * <argv…>}: four execs per command ({@code jspawnhelper}, {@code sh}, {@code setsid}, the
 * command). The fallback where {@link PosixSpawner} cannot be linked, and what
 * {@link SpawnMethod#JDK} selects.
 *
 * <p>The gate: the shell waits for one line on its stdin, which {@link JdkChild} writes once both
 * of its readers hold their pipes. Without it a command that exits at once could end before a
 * reader started, and the JDK, on seeing the exit, drains and closes a pipe nobody reads: a
 * background child still holding that pipe would then look ended. The command itself gets
 * {@code /dev/null} as stdin, and the environment it was given (the shell's own {@code PWD} is
 * put back to what was given, or removed).
 */
final class JdkSpawner implements Spawner {
  private static final String SETSID = "/usr/bin/setsid";
  private static final String SH = "/bin/sh";
  /** Exit status when the gate's line never came (the daemon closed it without one). */
  static final int GATE_CLOSED = 125;
  /** The gate's script around its one variable step: how {@code PWD} is put back. */
  private static final String GATE =
      "read -r go || exit " + GATE_CLOSED + "; %s; exec \"$@\" </dev/null";
  private static final String GATE_UNSET_PWD = GATE.formatted("unset PWD");
  private static final String GATE_SET_PWD = GATE.formatted("PWD=$1; export PWD; shift");

  @Override
  public Child start(List<String> argv, Map<String, String> environment) throws IOException {
    String pwd = environment.get("PWD");
    List<String> full = new ArrayList<>(argv.size() + 7);
    full.add(SH);
    full.add("-c");
    full.add(pwd == null ? GATE_UNSET_PWD : GATE_SET_PWD);
    full.add("sh");
    if (pwd != null) {
      full.add(pwd);
    }
    full.add(SETSID);
    full.add("--"); // argv[0] is never taken for a setsid option
    full.addAll(argv);
    try {
      ProcessBuilder pb = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.PIPE);
      pb.environment().clear();
      pb.environment().putAll(environment);
      return new JdkChild(pb.start());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
