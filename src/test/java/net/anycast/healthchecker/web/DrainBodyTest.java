package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import net.anycast.healthchecker.override.Drain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DrainBodyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String ALLOWED = "expected a duration such as 90s, 30m, 2h, 1d or 1h30m,"
      + " or a Unix time such as 1767225600";

  private static Drain parse(String body) throws HttpError {
    return DrainBody.parse(body, "web", NOW);
  }

  private static HttpError refused(String body) {
    HttpError e = catchThrowableOfType(HttpError.class, () -> parse(body));
    assertThat(e).as("refused: %s", body).isNotNull();
    assertThat(e.status()).isEqualTo(400);
    return e;
  }

  @Test
  void reasonOnly_drainsWithoutExpiry_createdNow() throws HttpError {
    Drain d = parse("{\"reason\": \"alice: kernel upgrade\"}");

    assertThat(d).isEqualTo(Drain.of("web", "alice: kernel upgrade").withCreation(NOW));
  }

  @Test
  void reason_isStripped() throws HttpError {
    assertThat(parse("{\"reason\": \"  bob \"}").reason()).isEqualTo("bob");
  }

  @Test
  void reason_mayHoldTabsAndNonAscii() throws HttpError {
    assertThat(parse("{\"reason\": \"zoë\\tfix \\u00e9\"}").reason()).isEqualTo("zoë\tfix é");
  }

  @Test
  void reasonOfTheMaximumLength_isAccepted() throws HttpError {
    String reason = "r".repeat(DrainBody.MAX_REASON);

    assertThat(parse("{\"reason\": \"" + reason + "\"}").reason()).isEqualTo(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "{}", "{\"expires\": \"2h\"}", "{\"reason\": \"\"}",
      "{\"reason\": \"   \"}"})
  void missingOrBlankReason_isRefused(String body) {
    assertThat(refused(body).getMessage()).isEqualTo("reason is required: say who drains and why");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"reason\": 5}", "{\"reason\": true}", "{\"reason\": null}"})
  void reasonNotAString_isRefused(String body) {
    assertThat(refused(body).getMessage()).isEqualTo("reason must be a string");
  }

  @Test
  void reasonTooLong_isRefused() {
    String body = "{\"reason\": \"" + "r".repeat(DrainBody.MAX_REASON + 1) + "\"}";

    assertThat(refused(body).getMessage())
        .isEqualTo("reason must be one line of at most 1024 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"reason\": \"a\\nb\"}", "{\"reason\": \"a\\rb\"}",
      "{\"reason\": \"a\\u0000b\"}"})
  void reasonOfMoreThanOneLine_isRefused(String body) {
    assertThat(refused(body).getMessage())
        .isEqualTo("reason must be one line of at most 1024 characters");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"90s\"|PT1M30S",
      "\"30m\"|PT30M",
      "\"2h\"|PT2H",
      "\"1d\"|PT24H",
      "\"1h30m\"|PT1H30M",
      "\" 2h \"|PT2H",
  })
  void expiresAsDuration_countsFromNow(String expires, String duration) throws HttpError {
    Drain d = parse("{\"reason\": \"x\", \"expires\": " + expires + "}");

    assertThat(d.expiration()).contains(NOW.plus(Duration.parse(duration)));
  }

  @Test
  void expiresAsUnixNumber() throws HttpError {
    long at = NOW.getEpochSecond() + 3600;

    Drain d = parse("{\"reason\": \"x\", \"expires\": " + at + "}");

    assertThat(d.expiration()).contains(Instant.ofEpochSecond(at));
  }

  @Test
  void expiresAsFractionalUnixNumber_keepsMilliseconds() throws HttpError {
    long at = NOW.getEpochSecond() + 60;

    Drain d = parse("{\"reason\": \"x\", \"expires\": " + at + ".25}");

    assertThat(d.expiration()).contains(Instant.ofEpochMilli(at * 1000 + 250));
  }

  @Test
  void expiresAsUnixString() throws HttpError {
    long at = NOW.getEpochSecond() + 3600;

    Drain d = parse("{\"reason\": \"x\", \"expires\": \"" + at + "\"}");

    assertThat(d.expiration()).contains(Instant.ofEpochSecond(at));
  }

  @Test
  void expiresAsIsoInstant() throws HttpError {
    Drain d = parse("{\"reason\": \"x\", \"expires\": \"2026-03-02T08:30:00Z\"}");

    assertThat(d.expiration()).contains(Instant.parse("2026-03-02T08:30:00Z"));
  }

  @Test
  void expiresNull_meansNoExpiry() throws HttpError {
    assertThat(parse("{\"reason\": \"x\", \"expires\": null}").expiration()).isEmpty();
  }

  @Test
  void expiresIsoInThePast_isRefused() {
    assertThat(refused("{\"reason\": \"x\", \"expires\": \"2026-03-01T11:59:59Z\"}").getMessage())
        .isEqualTo("expires '2026-03-01T11:59:59Z' is in the past");
  }

  @Test
  void expiresIsoEqualToNow_isInThePast() {
    assertThat(refused("{\"reason\": \"x\", \"expires\": \"2026-03-01T12:00:00Z\"}").getMessage())
        .isEqualTo("expires '2026-03-01T12:00:00Z' is in the past");
  }

  @Test
  void expiresUnixInThePast_isRefused() {
    long at = NOW.getEpochSecond() - 1;

    assertThat(refused("{\"reason\": \"x\", \"expires\": " + at + "}").getMessage())
        .isEqualTo("expires '" + at + "': 2026-03-01T11:59:59Z is in the past");
  }

  @Test
  void expiresBareSmallNumber_isTakenForADurationWithoutUnit() {
    assertThat(refused("{\"reason\": \"x\", \"expires\": 7200}").getMessage())
        .isEqualTo("expires '7200': a bare number is a Unix time and this one lies in the past;"
            + " for a duration add a unit (7200s, 7200m)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "2 hours", "-5", "1w", "2026-13-01T00:00:00Z"})
  void expiresGarbage_isRefused(String expires) {
    assertThat(refused("{\"reason\": \"x\", \"expires\": \"" + expires + "\"}").getMessage())
        .isEqualTo("expires '" + expires + "': not understood; " + ALLOWED
            + ", or an ISO-8601 time");
  }

  @Test
  void expiresOfNoTime_isRefused() {
    assertThat(refused("{\"reason\": \"x\", \"expires\": \"0s\"}").getMessage())
        .isEqualTo("expires '0s': a drain of no time; " + ALLOWED + ", or an ISO-8601 time");
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "false"})
  void expiresNeitherStringNorNumber_isRefused(String expires) {
    assertThat(refused("{\"reason\": \"x\", \"expires\": " + expires + "}").getMessage())
        .isEqualTo("expires must be a string or a Unix time; " + ALLOWED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"99999999999999999999d", "999999999999d", "9999999999999999h"})
  void expiresTooFarAway_isA400_notAnInternalError(String expires) {
    HttpError e = refused("{\"reason\": \"x\", \"expires\": \"" + expires + "\"}");

    assertThat(e.getMessage()).isEqualTo("expires '" + expires + "': too far away; " + ALLOWED
        + ", or an ISO-8601 time");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"99999999999999999999\"", "99999999999999999999",
      "1e30", "18446744073709552"})
  void expiresUnixTimeTooFarAway_isA400_notAWrappedTime(String expires) {
    HttpError e = refused("{\"reason\": \"x\", \"expires\": " + expires + "}");

    assertThat(e.getMessage()).endsWith("': too far away; " + ALLOWED + ", or an ISO-8601 time");
  }

  @Test
  void unknownField_isRefused() {
    assertThat(refused("{\"reason\": \"x\", \"expiry\": \"2h\"}").getMessage())
        .isEqualTo("unknown field 'expiry'; allowed: reason, expires");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{|body is not a JSON object: ",
      "[]|body is not a JSON object: ",
      "\"reason\"|body is not a JSON object: ",
      "{\"reason\": \"x\",}|body is not a JSON object: ",
      "{\"reason\": {\"a\": 1}}|body is not a JSON object: ",
      "{\"reason\": \"x\"} trailing|body is not a JSON object: ",
      "reason=x|body is not a JSON object: ",
  })
  void badJson_isRefused(String body, String prefix) {
    assertThat(refused(body).getMessage()).startsWith(prefix);
  }
}
