package net.anycast.healthchecker.cli;

/** The program's version, from the jar manifest (Maven writes it there). */
public final class Version {
  private Version() {}

  /** Returns the version, or "unknown" when running from classes without a manifest. */
  public static String text() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }
}
