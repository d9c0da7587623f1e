package net.anycast.healthchecker.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Expiry;
import net.anycast.healthchecker.override.FlatJsonObject;

/**
 * The body of {@code PUT …/drain}: {@code {"reason": "…", "expires": "2h"}}. Pure.
 *
 * <p>{@code reason} is required (who and why: the API has no user name to fall back on, unlike
 * the CLI). {@code expires} is optional: a duration ({@code 90s}, {@code 30m}, {@code 2h},
 * {@code 1d}, {@code 1h30m}), a Unix time as a number or a string, or an ISO-8601 instant.
 */
final class DrainBody {
  static final int MAX_REASON = 1024;
  private static final Set<String> KEYS = Set.of("reason", "expires");

  private DrainBody() {}

  /** Returns the drain the body asks for, of the spool file {@code spoolName}, seen at now. */
  static Drain parse(String body, String spoolName, Instant now) throws HttpError {
    FlatJsonObject json;
    try {
      json = FlatJsonObject.parse(body.isBlank() ? "{}" : body);
    } catch (FlatJsonObject.SyntaxException e) {
      throw HttpError.badRequest("body is not a JSON object: " + e.getMessage());
    }
    for (String key : json.values().keySet()) {
      if (!KEYS.contains(key)) {
        throw HttpError.badRequest("unknown field '" + key + "'; allowed: reason, expires");
      }
    }
    String reason = json.text("reason").orElse(null);
    if (json.get("reason").isPresent() && reason == null) {
      throw HttpError.badRequest("reason must be a string");
    }
    if (reason == null || reason.isBlank()) {
      throw HttpError.badRequest("reason is required: say who drains and why");
    }
    if (reason.length() > MAX_REASON || reason.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      throw HttpError.badRequest("reason must be one line of at most " + MAX_REASON
          + " characters");
    }
    Drain drain = Drain.of(spoolName, reason.strip()).withCreation(now);
    var expires = json.get("expires");
    if (expires.isEmpty() || expires.get() instanceof FlatJsonObject.Null) {
      return drain;
    }
    return drain.withExpiration(switch (expires.get()) {
      case FlatJsonObject.Text(String t) -> expiry(t, now);
      case FlatJsonObject.Decimal(BigDecimal d) -> expiry(d.toPlainString(), now);
      default -> throw HttpError.badRequest("expires must be a string or a Unix time; "
          + Expiry.ALLOWED);
    });
  }

  private static Instant expiry(String text, Instant now) throws HttpError {
    Instant iso;
    try {
      iso = Instant.parse(text.strip());
    } catch (java.time.format.DateTimeParseException notIso) {
      try {
        return Expiry.parse(text, now);
      } catch (IllegalArgumentException e) {
        // The API takes ISO-8601 too: say so where Expiry lists what it takes.
        String why = e.getMessage();
        throw HttpError.badRequest("expires " + why
            + (why.endsWith(Expiry.ALLOWED) ? ", or an ISO-8601 time" : ""));
      }
    }
    if (!iso.isAfter(now)) {
      throw HttpError.badRequest("expires '" + text + "' is in the past");
    }
    return iso;
  }
}
