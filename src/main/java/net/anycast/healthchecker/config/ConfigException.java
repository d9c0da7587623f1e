package net.anycast.healthchecker.config;

import java.util.List;
import java.util.stream.Collectors;

/** An invalid configuration: every mistake found, not only the first. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(format(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  public ConfigException(ConfigError error) {
    this(List.of(error));
  }

  public List<ConfigError> errors() {
    return errors;
  }

  /**
   * Returns one error on one line, or "N errors:" followed by one indented line per error, so
   * that "Invalid configuration: " + message reads well in both cases.
   */
  private static String format(List<ConfigError> errors) {
    if (errors.size() == 1) {
      return errors.getFirst().toString();
    }
    return errors.size()
        + " errors:\n"
        + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
  }
}
