package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.Test;

/** hacheck's endpoints (reference/hacheck-spool.md) on the API's listener. */
class HacheckComponentTest extends WebServerHarness {
  private static final String FORM = "application/x-www-form-urlencoded";

  private void drained(Drain... drains) {
    inputs.set(inputs.get().withDrains(Drains.of(List.of(drains))));
  }

  private Drains onDisk() {
    List<String> warnings = new ArrayList<>();
    Drains d = spool.read(Drains.none(), warnings::add);
    assertThat(warnings).isEmpty();
    return d;
  }

  private HttpResponse<String> post(String path, String form, boolean withToken)
      throws Exception {
    return withToken
        ? send("POST", path, form, "Content-Type", FORM, "Authorization", "Bearer " + TOKEN)
        : send("POST", path, form, "Content-Type", FORM);
  }

  @Test
  void get_upService_is200_withHacheckText() throws Exception {
    HttpResponse<String> r = get("/spool/web/80/status");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("Service web in up state");
    assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
  }

  @Test
  void get_anyServiceNameAndTail_isAnswered() throws Exception {
    assertThat(get("/spool/unconfigured/0/").statusCode()).isEqualTo(200);
    assertThat(get("/spool/web/80/a/b/c?x=1").statusCode()).isEqualTo(200);
    assertThat(get("/spool/web/80").statusCode()).isEqualTo(200);
  }

  @Test
  void get_drainedService_is503_withReasonAndTimes() throws Exception {
    drained(Drain.of("web", "alice: upgrade").withCreation(Instant.ofEpochSecond(1_767_225_600L))
        .withExpiration(Instant.now().plusSeconds(3600)));

    HttpResponse<String> r = get("/spool/web/80/status");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).startsWith("Service web in down state since 1767225600.000000 until ")
        .endsWith(": alice: upgrade");
  }

  @Test
  void get_allDrainsEveryService_andIsNamed() throws Exception {
    drained(Drain.of("all", "maintenance"), Drain.of("web", "other"));

    HttpResponse<String> r = get("/spool/dns/53/");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("Service all in down state: maintenance");
  }

  @Test
  void get_portDrain_appliesToThatPortOnly() throws Exception {
    drained(Drain.of("web:443", "tls cert"));

    assertThat(get("/spool/web/443/x").body()).isEqualTo("Service web:443 in down state: tls cert");
    assertThat(get("/spool/web/80/x").statusCode()).isEqualTo(200);
  }

  @Test
  void get_expiredDrain_isUp() throws Exception {
    drained(Drain.of("web", "old").withExpiration(Instant.now().minusSeconds(1)));

    assertThat(get("/spool/web/80/x").statusCode()).isEqualTo(200);
  }

  @Test
  void get_headIsAnsweredWithoutBody() throws Exception {
    drained(Drain.of("web", "x"));

    HttpResponse<String> r = send("HEAD", "/spool/web/80/x", null);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void get_badPortOrShortPath_isRefused() throws Exception {
    HttpResponse<String> port = get("/spool/web/http/x");
    assertThat(port.statusCode()).isEqualTo(400);
    assertThat(error(port)).isEqualTo("port must be a number from 0 to 65535");
    assertThat(get("/spool/web/65536/x").statusCode()).isEqualTo(400);
    HttpResponse<String> shortPath = get("/spool/web");
    assertThat(shortPath.statusCode()).isEqualTo(404);
    assertThat(error(shortPath)).isEqualTo("expected /spool/<service>/<port>/<anything>");
  }

  @Test
  void otherMethod_is405() throws Exception {
    HttpResponse<String> r = send("PUT", "/spool/web/0/", "status=down");

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD, POST");
  }

  @Test
  void post_withRemoteChangesOff_is403_evenWithTheToken_andWritesNothing() throws Exception {
    HttpResponse<String> r = post("/spool/web/0/", "status=down&reason=x", true);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r)).isEqualTo("remote spool changes are not enabled");
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void post_down_withRemoteChangesOnAndTheToken_writesTheSpoolFile() throws Exception {
    restart(config(true, true), null);

    HttpResponse<String> r = post("/spool/web/0/",
        "status=down&reason=bob%3A+swap+disk&expiration=1999999999.5&creation=1767225600", true);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(onDisk().byName("web")).contains(Drain.of("web", "bob: swap disk")
        .withCreation(Instant.ofEpochSecond(1_767_225_600L))
        .withExpiration(Instant.ofEpochMilli(1_999_999_999_500L)));
  }

  @Test
  void post_downOfAPort_writesTheServicePortFile_createdNow() throws Exception {
    restart(config(true, true), null);
    Instant before = Instant.now().minusMillis(1);

    assertThat(post("/spool/web/443/", "status=down", true).statusCode()).isEqualTo(200);

    Drain d = onDisk().byName("web:443").orElseThrow();
    assertThat(d.reason()).isEmpty();
    assertThat(d.expiration()).isEmpty();
    assertThat(d.creation()).hasValueSatisfying(c -> assertThat(c).isAfter(before));
  }

  @Test
  void post_up_removesTheFile() throws Exception {
    restart(config(true, true), null);
    spool.write(Drain.of("web", "x"));

    HttpResponse<String> r = post("/spool/web/0/", "status=up", true);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(onDisk().isEmpty()).isTrue();
    assertThat(post("/spool/web/0/", "status=up", true).statusCode()).as("again").isEqualTo(200);
  }

  @Test
  void post_otherStatus_is400() throws Exception {
    restart(config(true, true), null);

    for (String form : List.of("status=sideways", "reason=x", "")) {
      HttpResponse<String> r = post("/spool/web/0/", form, true);
      assertThat(r.statusCode()).as(form).isEqualTo(400);
      assertThat(error(r)).isEqualTo("status must be up or down");
    }
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void post_badTimes_are400() throws Exception {
    restart(config(true, true), null);

    HttpResponse<String> r = post("/spool/web/0/", "status=down&expiration=tomorrow", true);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).isEqualTo("expiration must be a Unix time in seconds");
    assertThat(error(post("/spool/web/0/", "status=down&creation=x", true)))
        .isEqualTo("creation must be a Unix time in seconds");
  }

  @Test
  void post_badFormEncoding_is400() throws Exception {
    restart(config(true, true), null);

    HttpResponse<String> r = post("/spool/web/0/", "status=down&reason=%zz", true);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).isEqualTo("the form body is not URL-encoded");
  }

  @Test
  void post_hiddenName_is400_andWritesNothing() throws Exception {
    restart(config(true, true), null);

    HttpResponse<String> r = post("/spool/.web/0/", "status=down", true);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).startsWith("a spool name must not start with '.'");
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void post_withoutToken_is401_andWithAWrongOne403() throws Exception {
    restart(config(true, true), null);

    HttpResponse<String> none = post("/spool/web/0/", "status=down", false);
    HttpResponse<String> wrong = send("POST", "/spool/web/0/", "status=down",
        "Authorization", "Bearer wrong");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void post_withRemoteChangesOnButNoTokenFile_is403() throws Exception {
    restart(config(false, true), null);

    HttpResponse<String> r = post("/spool/web/0/", "status=down", true);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r)).isEqualTo("writes are disabled: no http_token_file is configured");
    assertThat(Files.exists(spool.path())).isFalse();
  }

  @Test
  void post_whenTheSpoolCannotBeWritten_is500() throws Exception {
    restart(config(true, true), null);
    Files.writeString(tmp.resolve("spool"), "a file, not a directory");

    HttpResponse<String> r = post("/spool/web/0/", "status=down&reason=x", true);

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(error(r)).startsWith("cannot write the spool file: ");
  }

  @Test
  void post_traversal_is400_andWritesNothingOutsideTheSpool() throws Exception {
    restart(config(true, true), null);
    Files.writeString(tmp.resolve("secret"), "keep");

    for (String path : List.of("/spool/..%2fsecret/0/", "/spool/../secret/0/",
        "/spool/%2e%2e/0/", "/spool/a%5c..%5csecret/0/")) {
      Raw r = raw("POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
          + "\r\nContent-Type: " + FORM + "\r\nContent-Length: 11\r\n",
          "status=down".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(r.status()).as(path).isEqualTo(400);
    }
    assertThat(Files.readString(tmp.resolve("secret"))).isEqualTo("keep");
    assertThat(Files.exists(spool.path())).isFalse();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret");
    }
  }

  @Test
  void status_countsRequests() throws Exception {
    drained(Drain.of("web", "x"));
    get("/spool/web/80/x");
    get("/spool/dns/53/x");

    HttpResponse<String> r = get("/status");

    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Object> doc = Json.object(r.body());
    assertThat(doc.keySet()).containsExactly("uptime", "spool_requests", "spool_down", "proxied_checks",
        "drains");
    assertThat(doc.get("spool_requests")).isEqualTo(BigDecimal.valueOf(2));
    assertThat(doc.get("spool_down")).isEqualTo(BigDecimal.ONE);
    assertThat(doc.get("drains")).isEqualTo(BigDecimal.ONE);
    assertThat(send("POST", "/status", "").statusCode()).isEqualTo(405);
  }
}
