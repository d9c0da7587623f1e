package net.anycast.healthchecker.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Reads request bodies, never more than a fixed size (larger ones answer 413). */
final class Bodies {
  static final int MAX_BYTES = 64 * 1024;

  private Bodies() {}

  /** Returns the body as UTF-8 text; 413 when over {@value #MAX_BYTES} bytes, 400 if not UTF-8. */
  static String read(HttpExchange ex) throws IOException, HttpError {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("Content-Length is not a number");
      }
      if (n > MAX_BYTES) {
        throw tooLarge();
      }
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(MAX_BYTES + 1); // a chunked body has no length to check first
    }
    if (body.length > MAX_BYTES) {
      throw tooLarge();
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw HttpError.badRequest("the body is not UTF-8");
    }
  }

  private static HttpError tooLarge() {
    return new HttpError(413, "request body larger than " + MAX_BYTES + " bytes");
  }
}
