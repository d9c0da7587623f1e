package net.anycast.healthchecker.config;

/**
 * What a drained service asks of its routes ({@code on_drain}): withdrawn, or left as its health
 * says while only the status shows the drain (a drill, or a service another layer takes out).
 */
public enum OnDrain {
  WITHDRAW,
  KEEP;

  /** Returns the INI spelling: {@code withdraw} or {@code keep}. */
  public String iniValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
