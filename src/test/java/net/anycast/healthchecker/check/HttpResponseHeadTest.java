package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.anycast.healthchecker.check.HttpResponseHead.Framing;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a response's head frames its body and whether its connection can be kept. */
class HttpResponseHeadTest {
  @ParameterizedTest(name = "{0} {1} [{2}] -> {4} {5}")
  @CsvSource(delimiter = '|', textBlock = """
      GET  | HTTP/1.1 200 OK              | Content-Length: 2                  | 200 | LENGTH      | true
      GET  | HTTP/1.1 200 OK              | Transfer-Encoding: chunked         | 200 | CHUNKED     | true
      GET  | HTTP/1.1 200 OK              | Content-Length: 2;Connection: close | 200 | LENGTH     | false
      GET  | HTTP/1.1 503 Down            |                                    | 503 | UNTIL_CLOSE | false
      GET  | HTTP/1.0 200 OK              | Content-Length: 2                  | 200 | LENGTH      | false
      GET  | HTTP/1.0 200 OK              | Content-Length: 2;Connection: keep-alive | 200 | LENGTH | true
      GET  | HTTP/1.1 204 No Content      |                                    | 204 | NONE        | true
      GET  | HTTP/1.1 304 Not Modified    | Content-Length: 20                 | 304 | NONE        | true
      HEAD | HTTP/1.1 200 OK              | Content-Length: 20                 | 200 | NONE        | true
      GET  | HTTP/1.1 100 Continue        |                                    | 100 | NONE        | true
      GET  | HTTP/1.1 200                 | content-length:  0                 | 200 | LENGTH      | true
      """)
  void parse_framesTheBody(String method, String status, String headers, int code,
      Framing framing, boolean keepAlive) throws IOException {
    List<String> lines = headers == null ? List.of() : Arrays.asList(headers.split(";"));
    HttpResponseHead head = HttpResponseHead.parse(status, lines, method);
    assertThat(head.status()).isEqualTo(code);
    assertThat(head.framing()).isEqualTo(framing);
    assertThat(head.keepAlive()).isEqualTo(keepAlive);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      SSH-2.0-OpenSSH_9.2    | Content-Length: 1
      HTTP/1.1 2xx OK        | Content-Length: 1
      HTTP/1.1 200 OK        | Content-Length: -1
      HTTP/1.1 200 OK        | Content-Length: 1;Content-Length: 2
      """)
  void parse_refusesWhatIsNotHttpOrAmbiguous(String status, String headers) {
    assertThatThrownBy(() -> HttpResponseHead.parse(status, List.of(headers.split(";")), "GET"))
        .isInstanceOf(IOException.class);
  }
}
