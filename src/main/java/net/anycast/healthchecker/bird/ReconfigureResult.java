package net.anycast.healthchecker.bird;

/** The outcome of asking BIRD to reconfigure: a value, never an exception. */
public sealed interface ReconfigureResult {
  /** Returns true when BIRD confirmed the new configuration. */
  default boolean confirmed() {
    return this instanceof Confirmed;
  }

  /** BIRD said it loaded (or is loading) the configuration; {@code reply} is its words. */
  record Confirmed(String reply) implements ReconfigureResult {}

  /** BIRD refused, could not be reached, or did not answer in time; {@code reason} says which. */
  record Failed(String reason) implements ReconfigureResult {}
}
