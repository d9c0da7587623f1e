package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestPathTest {

  @Test
  void root_hasNoSegments() throws HttpError {
    RequestPath p = RequestPath.parse("/");

    assertThat(p.segments()).isEmpty();
    assertThat(p.trailingSlash()).isFalse();
  }

  @Test
  void segments_areSplitOnSlash() throws HttpError {
    RequestPath p = RequestPath.parse("/api/v1/services/web");

    assertThat(p.segments()).containsExactly("api", "v1", "services", "web");
    assertThat(p.trailingSlash()).isFalse();
    assertThat(p.is("api", "v1", "services", "web")).isTrue();
    assertThat(p.size()).isEqualTo(4);
    assertThat(p.get(3)).isEqualTo("web");
  }

  @Test
  void trailingSlash_isNotedButAddsNoSegment() throws HttpError {
    RequestPath p = RequestPath.parse("/spool/web/80/");

    assertThat(p.segments()).containsExactly("spool", "web", "80");
    assertThat(p.trailingSlash()).isTrue();
  }

  @Test
  void emptySegmentsInside_areKept() throws HttpError {
    assertThat(RequestPath.parse("/a//b").segments()).containsExactly("a", "", "b");
  }

  @Test
  void percentEncoding_isDecodedAsUtf8() throws HttpError {
    RequestPath p = RequestPath.parse("/api/v1/services/caf%C3%A9%20bar%3A80");

    assertThat(p.get(3)).isEqualTo("café bar:80");
  }

  @Test
  void rawUtf8Bytes_asTheServerGivesThem_areDecoded() throws HttpError {
    // The JDK's server turns each byte of the request line into one char (ISO-8859-1).
    assertThat(RequestPath.parse("/services/caf\u00c3\u00a9").get(1)).isEqualTo("café");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/services/caf\u00e9", "/a\u00ff", "/services/\u0101"})
  void rawBytesThatAreNotUtf8_orCharsNoByteMakes_answer400(String raw) {
    HttpError e = catchThrowableOfType(HttpError.class, () -> RequestPath.parse(raw));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("the path is not UTF-8");
  }

  @Test
  void encodedDotsThatAreNotWholeSegments_areNames() throws HttpError {
    assertThat(RequestPath.parse("/a/..b/c.d/...").segments())
        .containsExactly("a", "..b", "c.d", "...");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/..|path segments . and .. are not allowed",
      "/api/../etc/passwd|path segments . and .. are not allowed",
      "/spool/../../x|path segments . and .. are not allowed",
      "/a/./b|path segments . and .. are not allowed",
      "/a/.|path segments . and .. are not allowed",
      "/a/%2e%2e/b|path segments . and .. are not allowed",
      "/a/%2E./b|path segments . and .. are not allowed",
      "/a/%2e|path segments . and .. are not allowed",
      "/spool/a%2fb/80/x|an encoded /, \\ or NUL is not allowed in the path",
      "/spool/a%2Fb/80/x|an encoded /, \\ or NUL is not allowed in the path",
      "/spool/..%2f..%2fetc/80/x|an encoded /, \\ or NUL is not allowed in the path",
      "/spool/a%5cb/80/x|an encoded /, \\ or NUL is not allowed in the path",
      "/spool/a%5Cb/80/x|an encoded /, \\ or NUL is not allowed in the path",
      "/spool/a%00/80/x|an encoded /, \\ or NUL is not allowed in the path",
      "/a%|bad percent-encoding in the path",
      "/a%2|bad percent-encoding in the path",
      "/a%zz|bad percent-encoding in the path",
      "/a%g0/b|bad percent-encoding in the path",
      "/a%\u0662f|bad percent-encoding in the path",
      "/a%\uff12\uff26|bad percent-encoding in the path",
      "/a%ff|the path is not UTF-8",
      "/a%C3|the path is not UTF-8",
      "/a%C0%AF|the path is not UTF-8",
      "/a%ED%A0%80|the path is not UTF-8",
      "api/v1/status|path must start with /",
      "*|path must start with /",
  })
  void unsafeOrMalformedPaths_answer400(String raw, String message) {
    HttpError e = catchThrowableOfType(HttpError.class, () -> RequestPath.parse(raw));

    assertThat(e).isNotNull();
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a\u0001b", "/a\tb", "/a\u007f"})
  void rawControlCharacters_answer400(String raw) {
    HttpError e = catchThrowableOfType(HttpError.class, () -> RequestPath.parse(raw));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("control characters are not allowed in the path");
  }

  @Test
  void nullOrEmpty_answer400() {
    assertThat(catchThrowableOfType(HttpError.class, () -> RequestPath.parse(null)).status())
        .isEqualTo(400);
    assertThat(catchThrowableOfType(HttpError.class, () -> RequestPath.parse("")).status())
        .isEqualTo(400);
  }

  @Test
  void pathOfTheMaximumLength_isAccepted() throws HttpError {
    String raw = "/" + "a".repeat(RequestPath.MAX_LENGTH - 1);

    assertThat(RequestPath.parse(raw).segments()).hasSize(1);
  }

  @Test
  void overlongPath_answers414() {
    String raw = "/" + "a".repeat(RequestPath.MAX_LENGTH);

    HttpError e = catchThrowableOfType(HttpError.class, () -> RequestPath.parse(raw));

    assertThat(e.status()).isEqualTo(414);
    assertThat(e.getMessage()).isEqualTo("path longer than 2048 characters");
  }

  @Test
  void segments_areImmutable() throws HttpError {
    List<String> segments = RequestPath.parse("/a/b").segments();

    assertThat(catchThrowableOfType(UnsupportedOperationException.class,
        () -> segments.add("c"))).isNotNull();
  }
}
