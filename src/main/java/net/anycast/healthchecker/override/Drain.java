package net.anycast.healthchecker.override;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One operator drain: a spool file saying a service (or every service) is down, why, until
 * when, and since when.
 *
 * <p>Not a record: expiration and creation are optional, and a record would expose them as
 * nullable components; here they are {@code Optional} return values.
 */
public final class Drain {
  private final String spoolName;
  private final String reason;
  private final Instant expiration; // null: no expiry
  private final Instant creation; // null: unknown

  private Drain(String spoolName, String reason, Instant expiration, Instant creation) {
    this.spoolName = SpoolNames.requireValid(spoolName);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.expiration = expiration;
    this.creation = creation;
  }

  /** Returns a drain of the file {@code spoolName} with no expiry and no creation time. */
  public static Drain of(String spoolName, String reason) {
    return new Drain(spoolName, reason, null, null);
  }

  /** Returns this drain ending at {@code at}. */
  public Drain withExpiration(Instant at) {
    return new Drain(spoolName, reason, Objects.requireNonNull(at, "expiration"), creation);
  }

  /** Returns this drain started at {@code at}. */
  public Drain withCreation(Instant at) {
    return new Drain(spoolName, reason, expiration, Objects.requireNonNull(at, "creation"));
  }

  /** Returns this drain with the creation time of {@code other} (none when it has none). */
  Drain withCreationOf(Drain other) {
    return new Drain(spoolName, reason, expiration, other.creation);
  }

  /** Returns the name of the spool file: {@code all}, {@code svc}, {@code svc:port}, …. */
  public String spoolName() {
    return spoolName;
  }

  /** Returns why, as the operator wrote it; may be empty. */
  public String reason() {
    return reason;
  }

  /** Returns when the drain ends by itself; empty when it lasts until removed. */
  public Optional<Instant> expiration() {
    return Optional.ofNullable(expiration);
  }

  /** Returns when the drain began ("down since"); empty when the file does not say. */
  public Optional<Instant> creation() {
    return Optional.ofNullable(creation);
  }

  /**
   * Returns whether the drain is over at {@code now}. An expiration equal to now counts as over,
   * so a drain "until 12:00:00" no longer holds at 12:00:00.
   */
  public boolean expiredAt(Instant now) {
    return expiration != null && !expiration.isAfter(now);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Drain d
        && spoolName.equals(d.spoolName)
        && reason.equals(d.reason)
        && Objects.equals(expiration, d.expiration)
        && Objects.equals(creation, d.creation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spoolName, reason, expiration, creation);
  }

  @Override
  public String toString() {
    return "Drain[" + spoolName + ", reason=" + reason + ", expiration=" + expiration
        + ", creation=" + creation + "]";
  }
}
