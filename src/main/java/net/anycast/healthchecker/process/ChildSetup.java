package net.anycast.healthchecker.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a started command gets of the daemon besides its arguments: its environment, and a
 * prefix to its argument list (a {@code setpriv …} that changes its user or groups before the
 * command runs).
 *
 * @param environment the whole environment of the command
 * @param argvPrefix run before the command; empty for none
 */
public record ChildSetup(Map<String, String> environment, List<String> argvPrefix) {
  public ChildSetup {
    environment = Map.copyOf(environment);
    argvPrefix = List.copyOf(argvPrefix);
  }

  /** Returns the setup of the daemon's own commands: its whole environment, nothing before. */
  public static ChildSetup inheritAll() {
    return new ChildSetup(System.getenv(), List.of());
  }

  /** Returns {@code command} with the prefix before it. */
  List<String> argv(List<String> command) {
    if (argvPrefix.isEmpty()) {
      return command;
    }
    List<String> all = new ArrayList<>(argvPrefix);
    all.addAll(command);
    return all;
  }
}
