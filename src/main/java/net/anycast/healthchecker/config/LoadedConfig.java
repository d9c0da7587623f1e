package net.anycast.healthchecker.config;

import java.util.List;

/**
 * A configuration that passed validation.
 *
 * @param ini the merged INI, for {@code --print-conf}
 * @param configuration the typed settings
 * @param warnings things worth telling the operator that do not stop the daemon
 */
public record LoadedConfig(Ini ini, Configuration configuration, List<String> warnings) {
  public LoadedConfig {
    warnings = List.copyOf(warnings);
  }
}
