package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;

import net.anycast.healthchecker.check.LogCapture;
import org.junit.jupiter.api.Test;

/** Every write through the API, and every refused one, is logged with the client and why. */
class WriteLogComponentTest extends WebServerHarness {

  @Test
  void drainAndUndrain_loggedWithClientAndReason() throws Exception {
    try (LogCapture log = new LogCapture(ApiEndpoints.class)) {
      assertThat(write("PUT", "/api/v1/services/web/drain",
          "{\"reason\": \"alice: kernel upgrade\", \"expires\": \"2h\"}").statusCode())
          .isEqualTo(200);
      assertThat(write("DELETE", "/api/v1/services/web/drain", null).statusCode())
          .isEqualTo(200);

      assertThat(log.messages()).anySatisfy(m -> assertThat(m)
          .startsWith("API drained web for 127.0.0.1: alice: kernel upgrade (until "));
      assertThat(log.messages()).contains("API undrained web for 127.0.0.1");
    }
  }

  @Test
  void refusedWrites_loggedWithClientAndWhy() throws Exception {
    try (LogCapture log = new LogCapture(ApiEndpoints.class)) {
      assertThat(send("PUT", "/api/v1/drain", "{\"reason\": \"x\"}").statusCode())
          .isEqualTo(401);
      assertThat(send("DELETE", "/api/v1/services/dns/drain", null,
          "Authorization", "Bearer wrong-token-wrong-token").statusCode()).isEqualTo(403);

      assertThat(log.messages()).contains(
          "API refused drain of all from 127.0.0.1: this write needs the header"
              + " Authorization: Bearer <token>",
          "API refused undrain of dns from 127.0.0.1: the token is not valid");
    }
  }
}
