package net.anycast.healthchecker.web;

import static net.anycast.healthchecker.web.Json.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/…} but the event stream, over real loopback connections. */
class ApiComponentTest extends WebServerHarness {
  private static final String DRAIN_WEB = "/api/v1/services/web/drain";

  private Drains onDisk() {
    List<String> warnings = new ArrayList<>();
    Drains d = spool.read(Drains.none(), warnings::add);
    assertThat(warnings).isEmpty();
    return d;
  }

  private static void assertJson(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.body()).endsWith("}\n");
  }

  @Test
  void status_isTheWholeDocument() throws Exception {
    HttpResponse<String> r = get("/api/v1/status");

    assertJson(r, 200);
    Map<String, Object> doc = Json.object(r.body());
    assertThat(doc.keySet()).containsExactly("daemon", "services", "families");
    assertThat((List<?>) at(doc, "services")).extracting(s -> at(s, "name"))
        .containsExactly("web", "dns", "mail");
    assertThat(at(doc, "services", 0, "health")).isEqualTo("up");
    assertThat(at(doc, "services", 1, "health")).isEqualTo("down");
    assertThat(at(doc, "services", 0, "announced")).isEqualTo(true);
    assertThat(at(doc, "families", 0, "family")).isEqualTo("IPv4");
  }

  @Test
  void status_withAQuery_isTheSame() throws Exception {
    assertThat(get("/api/v1/status?pretty=1").statusCode()).isEqualTo(200);
  }

  @Test
  void status_headHasNoBody() throws Exception {
    HttpResponse<String> r = send("HEAD", "/api/v1/status", null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void status_reflectsTheLatestSnapshot() throws Exception {
    inputs.set(inputs.get().withHealth("web", net.anycast.healthchecker.health.Health.DOWN));

    assertThat(at(Json.object(get("/api/v1/status").body()), "services", 0, "health"))
        .isEqualTo("down");
  }

  @Test
  void oneService() throws Exception {
    HttpResponse<String> r = get("/api/v1/services/dns");

    assertJson(r, 200);
    Map<String, Object> dns = Json.object(r.body());
    assertThat(dns.get("name")).isEqualTo("dns");
    assertThat(dns.get("prefixes")).isEqualTo(List.of("10.0.0.2/32", "2001:db8::2/128"));
    assertThat(dns.get("fall")).isEqualTo(Map.of("streak", BigDecimal.valueOf(2), "needed",
        BigDecimal.valueOf(2)));
  }

  @Test
  void serviceWithANonAsciiName_rawUtf8AsCurlSendsIt_orPercentEncoded() throws Exception {
    inputs.set(net.anycast.healthchecker.inputs.Inputs.of(
        List.of(WebTestData.service("café", "10.0.0.9/32"))));

    Raw raw = raw("GET /api/v1/services/caf\u00c3\u00a9 HTTP/1.1\r\nHost: x\r\n");
    HttpResponse<String> encoded = get("/api/v1/services/caf%C3%A9");

    assertThat(raw.status()).as(raw.body()).isEqualTo(200);
    assertThat(Json.object(raw.body()).get("name")).isEqualTo("café");
    assertThat(encoded.statusCode()).isEqualTo(200);
    assertThat(raw("GET /api/v1/services/caf\u00e9 HTTP/1.1\r\nHost: x\r\n").status())
        .as("a Latin-1 byte is not UTF-8").isEqualTo(400);
  }

  @Test
  void unknownService_is404() throws Exception {
    HttpResponse<String> r = get("/api/v1/services/nope");

    assertJson(r, 404);
    assertThat(error(r)).isEqualTo("no service named 'nope' is configured");
  }

  @Test
  void unknownServiceWithOddCharacters_is404_withItsNameEscaped() throws Exception {
    HttpResponse<String> r = get("/api/v1/services/%3Cb%3E%22x");

    assertJson(r, 404);
    assertThat(r.body()).doesNotContain("<");
    assertThat(error(r)).isEqualTo("no service named '<b>\"x' is configured");
  }

  @Test
  void unknownEndpoint_is404() throws Exception {
    HttpResponse<String> r = get("/api/v1/nothing");

    assertJson(r, 404);
    assertThat(error(r)).isEqualTo("no such endpoint: /api/v1/nothing (see docs/api.md)");
    assertThat(get("/api/v2/status").statusCode()).isEqualTo(404);
    assertThat(get("/api/v1").statusCode()).isEqualTo(404);
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void wrongMethodOnARead_is405_withAllow() throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/status", "{}");

    assertJson(r, 405);
    assertThat(error(r)).isEqualTo("method POST not allowed here; allowed: GET, HEAD");
    assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(send("DELETE", "/api/v1/services/web", null).statusCode()).isEqualTo(405);
  }

  @Test
  void wrongMethodOnADrain_is405_withAllow() throws Exception {
    HttpResponse<String> r = write("GET", DRAIN_WEB, null);

    assertJson(r, 405);
    assertThat(error(r)).isEqualTo("method GET not allowed here; allowed: PUT, DELETE");
    assertThat(r.headers().firstValue("Allow")).contains("PUT, DELETE");
    assertThat(write("POST", "/api/v1/drain", "{}").statusCode()).isEqualTo(405);
  }

  @Test
  void drain_writesTheSpoolFileTheWatcherAndTheCliRead() throws Exception {
    Instant before = Instant.now();

    HttpResponse<String> r = write("PUT", DRAIN_WEB,
        "{\"reason\": \"alice: kernel upgrade\", \"expires\": \"2h\"}");

    assertJson(r, 200);
    Map<String, Object> reply = Json.object(r.body());
    assertThat(reply.get("name")).isEqualTo("web");
    assertThat(reply.get("reason")).isEqualTo("alice: kernel upgrade");
    Drain d = onDisk().byName("web").orElseThrow();
    assertThat(d.reason()).isEqualTo("alice: kernel upgrade");
    assertThat(d.creation()).hasValueSatisfying(c -> assertThat(c).isBetween(
        before.minusMillis(1), Instant.now().plusMillis(1)));
    assertThat(length(d)).isEqualTo(java.time.Duration.ofHours(2));
    assertThat(reply.get("expires")).isEqualTo(d.expiration().orElseThrow().toString());
    assertThat(reply.get("created")).isEqualTo(d.creation().orElseThrow().toString());
    Map<String, Object> file = Json.object(Files.readString(spool.fileFor("web")));
    assertThat(file.keySet()).containsExactlyInAnyOrder("reason", "expiration", "creation");
    assertThat(file.get("reason")).isEqualTo("alice: kernel upgrade");
  }

  private static java.time.Duration length(Drain d) {
    return java.time.Duration.between(d.creation().orElseThrow(), d.expiration().orElseThrow());
  }

  @Test
  void drain_isSeenByTheServiceAfterTheWatcherReadsIt() throws Exception {
    write("PUT", DRAIN_WEB, "{\"reason\": \"bob\"}");
    watcherReadsSpool();

    Map<String, Object> web = Json.object(get("/api/v1/services/web").body());

    assertThat(at(web, "drain", "reason")).isEqualTo("bob");
    assertThat(at(web, "drain", "on_drain")).isEqualTo("withdraw");
  }

  @Test
  void drainAgainWithTheSameReason_keepsDownSince() throws Exception {
    String first = (String) Json.object(
        write("PUT", DRAIN_WEB, "{\"reason\": \"x\", \"expires\": \"1h\"}").body()).get("created");

    Map<String, Object> again = Json.object(
        write("PUT", DRAIN_WEB, "{\"reason\": \"x\", \"expires\": \"2h\"}").body());

    assertThat(again.get("created")).isEqualTo(first);
  }

  @Test
  void undrain_removesTheFile_andSaysWhetherThereWasOne() throws Exception {
    write("PUT", DRAIN_WEB, "{\"reason\": \"x\"}");

    HttpResponse<String> r = write("DELETE", DRAIN_WEB, null);

    assertJson(r, 200);
    assertThat(Json.object(r.body())).isEqualTo(Map.of("name", "web", "removed", true));
    assertThat(Files.exists(spool.fileFor("web"))).isFalse();
    assertThat(Json.object(write("DELETE", DRAIN_WEB, null).body()))
        .isEqualTo(Map.of("name", "web", "removed", false));
  }

  @Test
  void drainAll_writesTheAllFile_andUndrainAllRemovesIt() throws Exception {
    HttpResponse<String> r = write("PUT", "/api/v1/drain", "{\"reason\": \"maintenance\"}");

    assertJson(r, 200);
    assertThat(onDisk().byName("all")).hasValueSatisfying(d ->
        assertThat(d.reason()).isEqualTo("maintenance"));

    assertThat(Json.object(write("DELETE", "/api/v1/drain", null).body()))
        .isEqualTo(Map.of("name", "all", "removed", true));
    assertThat(onDisk().isEmpty()).isTrue();
  }

  @Test
  void drainOfAnUnknownService_is404_andWritesNothing() throws Exception {
    HttpResponse<String> r = write("PUT", "/api/v1/services/nope/drain", "{\"reason\": \"x\"}");

    assertJson(r, 404);
    assertThat(error(r)).isEqualTo("no service named 'nope' is configured");
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void badJson_is400_andWritesNothing() throws Exception {
    HttpResponse<String> r = write("PUT", DRAIN_WEB, "{\"reason\": ");

    assertJson(r, 400);
    assertThat(error(r)).startsWith("body is not a JSON object: ");
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void badFields_are400() throws Exception {
    assertThat(error(write("PUT", DRAIN_WEB, "{}")))
        .isEqualTo("reason is required: say who drains and why");
    assertThat(error(write("PUT", DRAIN_WEB, "{\"reason\": \"x\", \"until\": 1}")))
        .isEqualTo("unknown field 'until'; allowed: reason, expires");
    HttpResponse<String> r = write("PUT", DRAIN_WEB, "{\"reason\": \"x\", \"expires\": \"soon\"}");
    assertJson(r, 400);
    assertThat(error(r)).startsWith("expires 'soon': not understood");
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void bodyNotUtf8_is400() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(uri(DRAIN_WEB)).timeout(WAIT)
        .header("Authorization", "Bearer " + TOKEN)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', (byte) 0xff, '}'})).build();

    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());

    assertJson(r, 400);
    assertThat(error(r)).isEqualTo("the body is not UTF-8");
  }

  @Test
  void bodyOfExactly64KiB_isRead() throws Exception {
    String reason = "r".repeat(10);
    String json = "{\"reason\": \"" + reason + "\"}";
    String body = json + " ".repeat(Bodies.MAX_BYTES - json.length());

    HttpResponse<String> r = write("PUT", DRAIN_WEB, body);

    assertJson(r, 200);
  }

  @Test
  void contentLengthOver64KiB_is413_andWritesNothing() throws Exception {
    byte[] body = ("{\"reason\": \"" + "r".repeat(Bodies.MAX_BYTES) + "\"}")
        .getBytes(StandardCharsets.US_ASCII);

    Raw r = raw("PUT " + DRAIN_WEB + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n", body);

    assertThat(r.status()).isEqualTo(413);
    assertThat(Json.object(r.body()).get("error"))
        .isEqualTo("request body larger than 65536 bytes");
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void tenMegabyteContentLength_is413_beforeTheBodyIsSent() throws Exception {
    Raw r = raw("PUT " + DRAIN_WEB + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Length: " + (10 * 1024 * 1024) + "\r\n");

    assertThat(r.status()).isEqualTo(413);
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void chunkedBodyOver64KiB_is413_andWritesNothing() throws Exception {
    List<ByteBuffer> chunks = new ArrayList<>();
    chunks.add(ByteBuffer.wrap("{\"reason\": \"".getBytes(StandardCharsets.US_ASCII)));
    for (int i = 0; i < 20; i++) {
      chunks.add(ByteBuffer.wrap("r".repeat(4096).getBytes(StandardCharsets.US_ASCII)));
    }
    chunks.add(ByteBuffer.wrap("\"}".getBytes(StandardCharsets.US_ASCII)));
    HttpRequest req = HttpRequest.newBuilder(uri(DRAIN_WEB)).timeout(WAIT)
        .header("Authorization", "Bearer " + TOKEN)
        .PUT(HttpRequest.BodyPublishers.fromPublisher(publisher(chunks))).build();

    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());

    assertJson(r, 413);
    assertThat(error(r)).isEqualTo("request body larger than 65536 bytes");
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void chunkedBodyOver64KiB_onARawSocket_is413() throws Exception {
    StringBuilder chunked = new StringBuilder();
    for (int i = 0; i < 17; i++) {
      chunked.append("1000\r\n").append("r".repeat(4096)).append("\r\n");
    }
    chunked.append("0\r\n\r\n");

    Raw r = raw("PUT " + DRAIN_WEB + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
        + "\r\nTransfer-Encoding: chunked\r\n",
        chunked.toString().getBytes(StandardCharsets.US_ASCII));

    assertThat(r.status()).isEqualTo(413);
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void badContentLength_is400() throws Exception {
    Raw r = raw("PUT " + DRAIN_WEB + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Length: lots\r\n");

    assertThat(r.status()).isEqualTo(400);
  }

  /** A publisher of {@code chunks} with no length known up front: sent chunked. */
  private static Flow.Publisher<ByteBuffer> publisher(List<ByteBuffer> chunks) {
    return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
      private int next;
      private boolean done;

      @Override
      public synchronized void request(long n) {
        for (long i = 0; i < n && !done; i++) {
          if (next < chunks.size()) {
            subscriber.onNext(chunks.get(next++).duplicate());
          } else {
            done = true;
            subscriber.onComplete();
          }
        }
      }

      @Override
      public synchronized void cancel() {
        done = true;
      }
    });
  }

  @Test
  void noToken_is401_withWwwAuthenticate_andWritesNothing() throws Exception {
    HttpResponse<String> r = send("PUT", DRAIN_WEB, "{\"reason\": \"x\"}");

    assertJson(r, 401);
    assertThat(error(r)).isEqualTo("this write needs the header Authorization: Bearer <token>");
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"anycast-healthchecker\"");
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void otherSchemeThanBearer_is401() throws Exception {
    HttpResponse<String> r = send("DELETE", DRAIN_WEB, null, "Authorization", "Basic YTpi");

    assertJson(r, 401);
    assertThat(error(r)).isEqualTo("only Bearer authorization is accepted");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
  }

  @Test
  void wrongToken_is403_andWritesNothing() throws Exception {
    HttpResponse<String> r = send("PUT", DRAIN_WEB, "{\"reason\": \"x\"}",
        "Authorization", "Bearer " + TOKEN + "x");

    assertJson(r, 403);
    assertThat(error(r)).isEqualTo("the token is not valid");
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void undrainWithAWrongToken_is403_andKeepsTheFile() throws Exception {
    write("PUT", DRAIN_WEB, "{\"reason\": \"x\"}");

    HttpResponse<String> r = send("DELETE", DRAIN_WEB, null, "Authorization", "Bearer nope");

    assertJson(r, 403);
    assertThat(Files.exists(spool.fileFor("web"))).isTrue();
  }

  @Test
  void bearerSchemeIsCaseInsensitive() throws Exception {
    HttpResponse<String> r = send("PUT", DRAIN_WEB, "{\"reason\": \"x\"}",
        "Authorization", "bearer " + TOKEN);

    assertJson(r, 200);
  }

  @Test
  void withoutATokenFile_everyWriteIs403_andWritesNothing() throws Exception {
    restart(config(false, false), null);

    HttpResponse<String> put = send("PUT", DRAIN_WEB, "{\"reason\": \"x\"}",
        "Authorization", "Bearer " + TOKEN);
    HttpResponse<String> all = send("PUT", "/api/v1/drain", "{\"reason\": \"x\"}");
    HttpResponse<String> delete = send("DELETE", DRAIN_WEB, null);

    for (HttpResponse<String> r : List.of(put, all, delete)) {
      assertJson(r, 403);
      assertThat(error(r)).isEqualTo("writes are disabled: no http_token_file is configured");
    }
    assertThat(Files.exists(spool.path())).isFalse();
    assertThat(get("/api/v1/status").statusCode()).isEqualTo(200);
  }

  @Test
  void spoolThatCannotBeWritten_is500_withTheReason() throws Exception {
    Files.writeString(tmp.resolve("spool"), "a file, not a directory");

    HttpResponse<String> r = write("PUT", DRAIN_WEB, "{\"reason\": \"x\"}");

    assertJson(r, 500);
    assertThat(error(r)).startsWith("cannot write the spool file: ");
  }

  @Test
  void pathsThatLeaveTheirPlace_are400_andReadNothing() throws Exception {
    for (String path : List.of("/api/v1/services/..%2f..%2fetc%2fpasswd",
        "/api/v1/services/%2e%2e/drain", "/api/v1/services/a%5cb", "/api/v1/services/a%00",
        "/api/v1/../v1/status", "/api/v1/services/%2e")) {
      Raw r = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\n");
      assertThat(r.status()).as(path).isEqualTo(400);
      assertThat(Json.object(r.body())).containsKey("error");
    }
  }

  @Test
  void badPercentEncoding_is400_fromTheServerItself() throws Exception {
    // The JDK's server refuses a request target that is not a URI before any handler runs.
    assertThat(raw("GET /api/v1/services/%zz HTTP/1.1\r\nHost: x\r\n").status()).isEqualTo(400);
  }

  @Test
  void overlongPath_is414() throws Exception {
    Raw r = raw("GET /api/v1/services/" + "a".repeat(3000) + " HTTP/1.1\r\nHost: x\r\n");

    assertThat(r.status()).isEqualTo(414);
    assertThat(Json.object(r.body()).get("error")).isEqualTo("path longer than 2048 characters");
  }

  @Test
  void drainWithAnIoError_undrainStillWorksAfterTheSpoolIsFixed() throws IOException,
      InterruptedException {
    Files.writeString(tmp.resolve("spool"), "x");
    assertThat(write("PUT", DRAIN_WEB, "{\"reason\": \"x\"}").statusCode()).isEqualTo(500);
    Files.delete(tmp.resolve("spool"));

    assertThat(write("PUT", DRAIN_WEB, "{\"reason\": \"x\"}").statusCode()).isEqualTo(200);
    assertThat(onDisk().byName("web")).isPresent();
  }
}
