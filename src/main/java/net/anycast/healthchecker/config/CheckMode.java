package net.anycast.healthchecker.config;

/**
 * {@code check_mode}: how many of a service's checks must pass for one run to count as passed.
 *
 * @param needed at least this many; {@link #ALL} and {@link #ANY} are the named forms
 */
public record CheckMode(int needed) {
  /** Every check must pass ({@code all}, the default). Marked by 0: resolved per service. */
  public static final CheckMode ALL = new CheckMode(0);
  /** One passing check is enough ({@code any}). */
  public static final CheckMode ANY = new CheckMode(1);

  public CheckMode {
    if (needed < 0) {
      throw new IllegalArgumentException("needed must be >= 0");
    }
  }

  /** Returns whether {@code passed} passing checks out of {@code total} make the run pass. */
  public boolean passes(int passed, int total) {
    return passed >= (needed == 0 ? total : Math.min(needed, total));
  }

  @Override
  public String toString() {
    return needed == 0 ? "all" : needed == 1 ? "any" : Integer.toString(needed);
  }
}
