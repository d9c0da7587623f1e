package net.anycast.healthchecker.override;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import net.anycast.healthchecker.override.FlatJsonObject.Decimal;
import net.anycast.healthchecker.override.FlatJsonObject.Null;
import net.anycast.healthchecker.override.FlatJsonObject.Text;
import net.anycast.healthchecker.override.FlatJsonObject.Value;

/**
 * The content of one spool file, as hacheck writes it: {@code {"reason": str, "expiration":
 * float|null, "creation": float|null}}, times in Unix seconds. Pure: bytes in, a drain out, and
 * back.
 *
 * <p>A file being present means down, so whatever the content, reading it gives a drain, with one
 * exception: text that starts like a JSON object but does not parse is most likely a write caught
 * halfway (hacheck writes in place, not atomically), which the reader answers with the previous
 * state of that file ({@link Parsed.Incomplete}).
 */
public final class SpoolFormat {
  private static final String REASON = "reason";
  private static final String EXPIRATION = "expiration";
  private static final String CREATION = "creation";
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Instant.MAX.getEpochSecond());
  private static final BigDecimal MIN_SECONDS = BigDecimal.valueOf(Instant.MIN.getEpochSecond());
  /** Below a nanosecond a time is zero; also keeps {@code 1e-999999999} from costing anything. */
  private static final BigDecimal TINY = new BigDecimal("1e-10");

  private SpoolFormat() {}

  /** What one spool file says. */
  public sealed interface Parsed {
    /** The file says this. */
    record Complete(Drain drain) implements Parsed {}

    /** The file starts like a JSON object but is not one; {@code problem} says why. */
    record Incomplete(String text, String problem) implements Parsed {}
  }

  /**
   * Returns what the content of the file {@code spoolName} says: a JSON object, or (hacheck's
   * older format) any other text as the reason with no expiry, or an empty reason for an empty or
   * blank file. Bytes that are not UTF-8 become U+FFFD; this never throws on content.
   */
  public static Parsed parse(String spoolName, byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (text.isBlank()) {
      return new Parsed.Complete(Drain.of(spoolName, ""));
    }
    if (!text.stripLeading().startsWith("{")) {
      return new Parsed.Complete(Drain.of(spoolName, withoutLineEnd(text)));
    }
    try {
      return new Parsed.Complete(fromJson(spoolName, FlatJsonObject.parse(text)));
    } catch (FlatJsonObject.SyntaxException e) {
      return new Parsed.Incomplete(text, e.getMessage());
    }
  }

  /**
   * Returns the text as a reason when the file holds no JSON: a trailing line end (as
   * {@code echo reason > file} leaves) is not part of it.
   */
  static String withoutLineEnd(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }

  /**
   * Reads the three keys; others are ignored. A reason that is not a string is taken as its JSON
   * text and a time that is not a number as absent: a present file means down, so a field of the
   * wrong type must never make the service up.
   */
  private static Drain fromJson(String spoolName, FlatJsonObject json) {
    String reason = switch (json.get(REASON).orElse(new Null())) {
      case Text t -> t.value();
      case Null n -> "";
      case Value v -> v.toJson();
    };
    Drain drain = Drain.of(spoolName, reason);
    var expiration = json.decimal(EXPIRATION);
    if (expiration.isPresent()) {
      drain = drain.withExpiration(instant(expiration.get()));
    }
    var creation = json.decimal(CREATION);
    if (creation.isPresent()) {
      drain = drain.withCreation(instant(creation.get()));
    }
    return drain;
  }

  /** Returns the file content for {@code drain}: one JSON line, times with at least 3 decimals. */
  public static byte[] render(Drain drain) {
    Map<String, Value> values = new LinkedHashMap<>();
    values.put(REASON, new Text(drain.reason()));
    values.put(EXPIRATION, drain.expiration().<Value>map(t -> new Decimal(seconds(t)))
        .orElse(new Null()));
    values.put(CREATION, drain.creation().<Value>map(t -> new Decimal(seconds(t)))
        .orElse(new Null()));
    return (FlatJsonObject.of(values).toJson() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Returns the Unix time {@code seconds} to the nanosecond, clamped to what Instant holds. */
  static Instant instant(BigDecimal seconds) {
    if (seconds.compareTo(MAX_SECONDS) > 0) {
      return Instant.MAX;
    }
    if (seconds.compareTo(MIN_SECONDS) < 0) {
      return Instant.MIN;
    }
    if (seconds.abs().compareTo(TINY) < 0) {
      return Instant.EPOCH;
    }
    BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
    long nanos = seconds.subtract(whole).multiply(NANOS_PER_SECOND)
        .setScale(0, RoundingMode.FLOOR).longValueExact();
    return Instant.ofEpochSecond(whole.longValueExact(), nanos);
  }

  /** Returns {@code t} as Unix seconds, with at least 3 and at most 9 decimals. */
  static BigDecimal seconds(Instant t) {
    BigDecimal s = BigDecimal.valueOf(t.getEpochSecond())
        .add(BigDecimal.valueOf(t.getNano(), 9))
        .stripTrailingZeros();
    return s.scale() < 3 ? s.setScale(3) : s;
  }
}
