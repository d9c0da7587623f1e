package net.anycast.healthchecker.config;

/** What a service with {@code check_disabled = true} asks for: its routes withdrawn or announced. */
public enum OnDisabled {
  WITHDRAW,
  ADVERTISE;

  /** Returns the INI spelling: {@code withdraw} or {@code advertise}. */
  public String iniValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
