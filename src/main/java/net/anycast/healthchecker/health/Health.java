package net.anycast.healthchecker.health;

/** The established state of a service, as the rise/fall rules decide it. */
public enum Health {
  /** Not yet risen or fallen since start-up: its routes stay as the prefix file had them. */
  UNKNOWN,
  UP,
  DOWN,
  /** {@code check_disabled = true}: never checked; {@code on_disabled} decides its routes. */
  DISABLED;

  /** Returns the lower-case word the JSON logs use for {@code status}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
