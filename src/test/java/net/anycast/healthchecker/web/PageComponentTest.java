package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The status page, its two static files, {@code /metrics}, and paths that try to escape. */
class PageComponentTest extends WebServerHarness {
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none';"
      + " frame-ancestors 'none'";

  private static String resource(String name) throws Exception {
    try (InputStream in = StaticPage.class.getResourceAsStream("page/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @CsvSource({
      "/, index.html, text/html; charset=utf-8",
      "/static/app.js, app.js, text/javascript; charset=utf-8",
      "/static/style.css, style.css, text/css; charset=utf-8"})
  void pageAndStaticFiles_withTheirTypeAndPolicy(String path, String file, String type)
      throws Exception {
    HttpResponse<String> r = get(path);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains(type);
    assertThat(r.headers().firstValue("Content-Security-Policy")).contains(CSP);
    assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.body()).isEqualTo(resource(file));
  }

  @Test
  void page_loadsOnlyItsOwnFiles() throws Exception {
    String html = get("/").body();

    assertThat(html).contains("href=\"/static/style.css\"").contains("src=\"/static/app.js\"")
        .doesNotContain("http://").doesNotContain("https://");
  }

  @Test
  void page_head_hasNoBody() throws Exception {
    HttpResponse<String> r = send("HEAD", "/", null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void page_otherMethod_is405() throws Exception {
    HttpResponse<String> r = send("POST", "/static/app.js", "x");

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(error(r)).isEqualTo("method POST not allowed here; allowed: GET, HEAD");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/static/index.html", "/static/nope.js", "/static/", "/index.html",
      "/static/app.js/x"})
  void otherStaticNames_are404(String path) throws Exception {
    HttpResponse<String> r = get(path);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(error(r)).startsWith("no such endpoint: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/static/../../../../etc/passwd", "/static/..%2f..%2fetc%2fpasswd",
      "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%5c..%5cpom.xml", "/static/./app.js",
      "/../../etc/passwd", "/static/%2E%2E%2Fapp.js", "/spool/..%2F..%2Fetc/80/passwd",
      "/spool/x/80/../../../etc/passwd"})
  void traversal_is400_andReadsNothingOutside(String path) throws Exception {
    Files.writeString(tmp.resolve("passwd"), "root:x:0:0");

    Raw r = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\n");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).doesNotContain("root:").doesNotContain("<project");
    assertThat(Json.object(r.body()).get("error")).isIn(
        "path segments . and .. are not allowed",
        "an encoded /, \\ or NUL is not allowed in the path");
  }

  @Test
  void metrics_areServed_whenARegistryIsGiven() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("web_test_requests_total").help("test").register(registry).inc(3);
    restart(config(true, false), registry);

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
        assertThat(t).startsWith("text/plain"));
    assertThat(r.body()).contains("web_test_requests_total 3.0");
    assertThat(send("POST", "/metrics", "").statusCode()).isEqualTo(405);
  }

  @Test
  void metrics_are404_withoutARegistry() throws Exception {
    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(error(r)).isEqualTo("no such endpoint: /metrics (see docs/api.md)");
  }
}
