package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Responses as bytes, fed whole and in pieces of every size: no socket. */
class HttpResponseReaderTest {
  private final HttpResponseReader reader = new HttpResponseReader();

  /** Feeds {@code response} in pieces of {@code piece} bytes; returns whether it completed. */
  private boolean feed(String response, int piece) throws IOException {
    byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < bytes.length; i += piece) {
      ByteBuffer in = ByteBuffer.wrap(bytes, i, Math.min(piece, bytes.length - i));
      if (reader.feed(in)) {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 1000})
  void contentLength_completesAtItsLength_inAnyPieces(int piece) throws IOException {
    reader.reset("GET", 100);
    assertThat(feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", piece)).isTrue();
    assertThat(reader.status()).isEqualTo(200);
    assertThat(reader.body()).isEqualTo("hello");
    assertThat(reader.keepAlive()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4, 1000})
  void chunked_isReadToItsEnd_withExtensionsAndTrailers(int piece) throws IOException {
    reader.reset("GET", 100);
    assertThat(feed("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;x=y\r\nnot r\r\n5\r\neady!\r\n0\r\nX-Trailer: 1\r\n\r\n", piece)).isTrue();
    assertThat(reader.status()).isEqualTo(503);
    assertThat(reader.body()).isEqualTo("not ready!");
    assertThat(reader.keepAlive()).isTrue();
  }

  @Test
  void closeDelimited_completesAtTheEndOfInput_andIsNotKept() throws IOException {
    reader.reset("GET", 100);
    assertThat(feed("HTTP/1.1 200 OK\r\n\r\nuntil the end", 4)).isFalse();
    assertThat(reader.endOfInput()).isTrue();
    assertThat(reader.body()).isEqualTo("until the end");
    assertThat(reader.keepAlive()).isFalse();
  }

  @Test
  void bodyBeyondTheLimit_isReadAndDropped() throws IOException {
    reader.reset("GET", 3);
    assertThat(feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 2)).isTrue();
    assertThat(reader.body()).isEqualTo("012");
  }

  @Test
  void noBodyKept_whenNoneIsAsked() throws IOException {
    reader.reset("GET", 0);
    assertThat(feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", 1000)).isTrue();
    assertThat(reader.body()).isEmpty();
  }

  @Test
  void interimAnswer_isSkipped() throws IOException {
    reader.reset("GET", 10);
    assertThat(feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 5)).isTrue();
    assertThat(reader.status()).isEqualTo(204);
  }

  @Test
  void headResponse_hasNoBody_whateverItsLength() throws IOException {
    reader.reset("HEAD", 10);
    assertThat(feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", 1000)).isTrue();
  }

  @Test
  void reset_readsTheNextResponseOnTheSameConnection() throws IOException {
    reader.reset("GET", 10);
    assertThat(feed("HTTP/1.1 500 Oops\r\nContent-Length: 2\r\n\r\nno", 1000)).isTrue();
    reader.reset("GET", 10);
    assertThat(reader.answered()).isFalse();
    assertThat(feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 1000)).isTrue();
    assertThat(reader.status()).isEqualTo(200);
    assertThat(reader.body()).isEqualTo("ok");
  }

  @Test
  void endOfInput_beforeAnyByte_saysTheServerClosed() {
    reader.reset("GET", 10);
    assertThat(reader.answered()).isFalse();
    assertThatThrownBy(reader::endOfInput).isInstanceOf(EOFException.class)
        .hasMessage("connection closed by the server");
  }

  @Test
  void endOfInput_inTheBody_isAnError() throws IOException {
    reader.reset("GET", 10);
    feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 1000);
    assertThat(reader.answered()).isTrue();
    assertThatThrownBy(reader::endOfInput).isInstanceOf(EOFException.class)
        .hasMessage("connection closed in the body");
  }

  @Test
  void notHttp_isRefused() {
    reader.reset("GET", 10);
    assertThatThrownBy(() -> feed("SSH-2.0-OpenSSH_9.6\r\n\r\n", 1000))
        .isInstanceOf(IOException.class)
        .hasMessage("not an HTTP/1.x response: SSH-2.0-OpenSSH_9.6");
  }

  @Test
  void badChunkSize_isRefused() {
    reader.reset("GET", 10);
    assertThatThrownBy(() -> feed(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 1000))
        .isInstanceOf(IOException.class).hasMessage("bad chunk size");
  }

  @Test
  void badChunkEnd_isRefused() {
    reader.reset("GET", 10);
    assertThatThrownBy(() -> feed(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", 1000))
        .isInstanceOf(IOException.class).hasMessage("bad chunk end");
  }

  @Test
  void conflictingLengths_areRefused() {
    reader.reset("GET", 10);
    assertThatThrownBy(() -> feed(
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", 1000))
        .isInstanceOf(IOException.class).hasMessage("bad Content-Length: 3");
  }

  @Test
  void endlessLine_isRefused() {
    reader.reset("GET", 10);
    assertThatThrownBy(() -> feed("HTTP/1.1 200 " + "x".repeat(9000), 1000))
        .isInstanceOf(IOException.class).hasMessage("response line longer than 8192 bytes");
  }

  @Test
  void tooManyHeaders_areRefused() {
    reader.reset("GET", 10);
    assertThatThrownBy(() -> feed("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(201), 1000))
        .isInstanceOf(IOException.class).hasMessage("more than 200 response headers");
  }
}
