package net.anycast.healthchecker.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A service's checks and how their results combine.
 *
 * @param specs one or more checks, at most one of each kind, exec first when present
 * @param mode {@code check_mode}
 */
public record CheckSet(List<CheckSpec> specs, CheckMode mode) {
  public CheckSet {
    specs = List.copyOf(specs);
    Objects.requireNonNull(mode, "mode");
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("a service needs at least one check");
    }
    Set<String> kinds = new HashSet<>();
    for (CheckSpec s : specs) {
      if (!kinds.add(s.kind())) {
        throw new IllegalArgumentException("two checks of kind " + s.kind());
      }
    }
    if (mode.needed() > specs.size()) {
      throw new IllegalArgumentException("check_mode " + mode + " needs more checks than "
          + specs.size());
    }
  }

  /** Returns the set of a service with only {@code check_cmd}, as in the original. */
  public static CheckSet exec(String checkCmd) {
    return new CheckSet(List.of(new CheckSpec.Exec(checkCmd)), CheckMode.ALL);
  }

  /** Returns {@code check_cmd} when the service has one. */
  public Optional<String> checkCmd() {
    return specs.stream().filter(s -> s instanceof CheckSpec.Exec)
        .map(s -> ((CheckSpec.Exec) s).command()).findFirst();
  }
}
