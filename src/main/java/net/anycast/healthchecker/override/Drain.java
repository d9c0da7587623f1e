package net.anycast.healthchecker.override;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One operator drain, as a spool file says it. (Minimal; the spool branch replaces it.) */
public final class Drain {
  private final String spoolName;
  private final String reason;
  private final Instant expiration;
  private final Instant creation;

  public Drain(String spoolName, String reason, Instant expiration, Instant creation) {
    this.spoolName = Objects.requireNonNull(spoolName, "spoolName");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.expiration = expiration;
    this.creation = creation;
  }

  public String spoolName() {
    return spoolName;
  }

  public String reason() {
    return reason;
  }

  public Optional<Instant> expiration() {
    return Optional.ofNullable(expiration);
  }

  public Optional<Instant> creation() {
    return Optional.ofNullable(creation);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Drain d && spoolName.equals(d.spoolName) && reason.equals(d.reason)
        && Objects.equals(expiration, d.expiration) && Objects.equals(creation, d.creation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spoolName, reason, expiration, creation);
  }
}
