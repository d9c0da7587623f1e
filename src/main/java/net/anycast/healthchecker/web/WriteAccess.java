package net.anycast.healthchecker.web;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;
import net.anycast.healthchecker.config.HttpConfig;

/**
 * Decides whether a request may write (drain, undrain): it must carry {@code Authorization:
 * Bearer <token>} with the token of {@code http_token_file}. Without a token file every write is
 * refused, so a listener opened for the status page can never change a route by itself.
 */
final class WriteAccess {
  // Read on every write: a reload may set, change or remove the token.
  private final Supplier<Optional<HttpConfig.Secret>> token;

  WriteAccess(Supplier<Optional<HttpConfig.Secret>> token) {
    this.token = token;
  }

  WriteAccess(Optional<HttpConfig.Secret> token) {
    this(() -> token);
  }

  /** Returns normally when the request may write; throws 401 or 403 otherwise. */
  void check(HttpExchange ex) throws HttpError {
    byte[] expected = token.get().map(t -> t.value().getBytes(StandardCharsets.UTF_8))
        .orElse(null);
    if (expected == null) {
      throw new HttpError(403, "writes are disabled: no http_token_file is configured");
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null || header.isBlank()) {
      throw new HttpError(401, "this write needs the header Authorization: Bearer <token>");
    }
    String prefix = "Bearer ";
    if (!header.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw new HttpError(401, "only Bearer authorization is accepted");
    }
    byte[] given = header.substring(prefix.length()).strip().getBytes(StandardCharsets.UTF_8);
    // Constant time, so the token cannot be guessed a byte at a time from response times.
    if (!MessageDigest.isEqual(given, expected)) {
      throw new HttpError(403, "the token is not valid");
    }
  }
}
