package net.anycast.healthchecker.check;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** Lets tests of other packages look for processes left behind. */
public final class ProcessTableAccess {
  private ProcessTableAccess() {}

  /** Returns "pid comm" of every live (not zombie) process in one of {@code pgids}. */
  public static List<String> liveInGroups(Set<Long> pgids) throws IOException {
    return ProcessTable.inGroups(pgids).stream()
        .filter(e -> !e.zombie())
        .map(e -> e.pid() + " " + e.comm())
        .toList();
  }
}
