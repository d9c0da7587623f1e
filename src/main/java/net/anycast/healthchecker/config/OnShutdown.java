package net.anycast.healthchecker.config;

/**
 * What stopping the daemon does to the routes ({@code on_shutdown}): leave them as they are (the
 * original's behaviour, so a restart never flaps a route), or withdraw every prefix first.
 */
public enum OnShutdown {
  KEEP,
  WITHDRAW;

  /** Returns the INI spelling: {@code keep} or {@code withdraw}. */
  public String iniValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
