package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What hacheck's proxy paths ask to probe: always 127.0.0.1, the path re-encoded. */
class ProxyTargetTest {
  private static ProxyTarget target(String kind, String path, String query) throws HttpError {
    return ProxyTarget.of(ProxyTarget.Kind.of(kind), RequestPath.parse(path), query);
  }

  @Test
  void http_pathAndQuery_goToLoopbackPort() throws HttpError {
    ProxyTarget t = target("http", "/web/8080/health/check", "full=1&x=%20y");

    assertThat(t.url()).hasToString("http://127.0.0.1:8080/health/check?full=1&x=%20y");
    assertThat(t.service()).isEqualTo("web");
    assertThat(t.key()).isEqualTo("http://127.0.0.1:8080/health/check?full=1&x=%20y");
  }

  @Test
  void https_noPath_isTheRoot_andTrailingSlashKept() throws HttpError {
    assertThat(target("https", "/web/443", null).url()).hasToString("https://127.0.0.1:443/");
    assertThat(target("https", "/web/443/a/", null).url())
        .hasToString("https://127.0.0.1:443/a/");
  }

  @Test
  void tcp_ignoresThePath_andKeysOnThePort() throws HttpError {
    ProxyTarget t = target("tcp", "/db/5432/anything/here", "q=1");

    assertThat(t.url()).isNull();
    assertThat(t.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(t.key()).isEqualTo("tcp://127.0.0.1:5432");
  }

  @Test
  void segmentsThatLookLikeAnAuthority_stayInThePath() throws HttpError {
    // "@evil.example:80" decoded from the request must not become user info or a host.
    ProxyTarget t = target("http", "/web/80/@evil.example:80/%3Fx%23y/%C3%A9", null);

    assertThat(t.url().getHost()).isEqualTo("127.0.0.1");
    assertThat(t.url().getPort()).isEqualTo(80);
    assertThat(t.url().getRawPath()).isEqualTo("/@evil.example:80/%3Fx%23y/%C3%A9");
    assertThat(t.url().getRawQuery()).isNull();
  }

  @Test
  void badPortOrMissingPort_isRefused() {
    assertThatThrownBy(() -> target("http", "/web/0/x", null))
        .hasMessage("port must be a number from 1 to 65535");
    assertThatThrownBy(() -> target("tcp", "/web/65536", null))
        .hasMessage("port must be a number from 1 to 65535");
    assertThatThrownBy(() -> target("http", "/web", null))
        .hasMessage("expected /http/<service>/<port>/<path>");
  }

  @Test
  void badOrLongQuery_isRefused() {
    assertThatThrownBy(() -> target("http", "/web/80/x", "a b"))
        .hasMessage("the query is not a valid URI query");
    assertThatThrownBy(() -> target("http", "/web/80/x", "a".repeat(2049)))
        .hasMessage("query longer than 2048 characters");
  }

  @Test
  void otherFirstSegments_areNotProxyKinds() {
    assertThat(ProxyTarget.Kind.of("spool")).isNull();
    assertThat(ProxyTarget.Kind.of("HTTP")).isNull();
  }
}
