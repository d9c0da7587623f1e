package net.anycast.healthchecker.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads {@code http_token_file}: one line, the bearer token that API writes must send. The file
 * must be private to its owner, as an SSH key must: a token anyone on the node can read lets
 * anyone drain every route.
 */
final class TokenFile {
  static final int MAX_BYTES = 4096;
  static final int MIN_LENGTH = 16;
  private static final Set<PosixFilePermission> SHARED = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

  private TokenFile() {}

  /**
   * Returns the token in {@code file}, or null after telling {@code error} (the bad value, what
   * is wrong and what is allowed).
   */
  static HttpConfig.Secret read(Path file, BiConsumer<String, String> error) {
    return read(file, "token", MIN_LENGTH, error);
  }

  /**
   * Returns the secret ({@code what}: "token", "password") in {@code file}, one line of at least
   * {@code minLength} characters, or null after telling {@code error}.
   */
  static HttpConfig.Secret read(Path file, String what, int minLength,
      BiConsumer<String, String> error) {
    String shown = file.toString();
    try {
      if (!Files.isRegularFile(file)) {
        error.accept(shown, Files.exists(file) ? "is not a regular file; expected a file holding"
            + " the " + what : "doesn't exist; create it with the " + what + " on one line, mode 0600");
        return null;
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      Set<PosixFilePermission> shared = EnumSet.copyOf(SHARED);
      shared.retainAll(perms);
      if (!shared.isEmpty()) {
        error.accept(shown, "is readable or writable by group or others (mode "
            + Integer.toOctalString(mode(perms)) + "); it must be private to its owner:"
            + " chmod 600 " + shown);
        return null;
      }
      if (Files.size(file) > MAX_BYTES) {
        error.accept(shown, "is larger than " + MAX_BYTES + " bytes; expected one line holding"
            + " the " + what);
        return null;
      }
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
      } catch (CharacterCodingException e) {
        error.accept(shown, "is not UTF-8 text; expected one line holding the " + what);
        return null;
      }
      String token = text.strip();
      if (token.lines().count() != 1 || token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
        error.accept(shown, token.isEmpty() ? "is empty; expected one line holding the " + what
            : "holds more than one line or a space; expected one line holding the " + what);
        return null;
      }
      if (token.length() < minLength) {
        error.accept(shown, "holds a " + what + " of " + token.length() + " characters; use at"
            + " least " + minLength + " (e.g. the output of: openssl rand -hex 32)");
        return null;
      }
      return new HttpConfig.Secret(token);
    } catch (NoSuchFileException e) {
      error.accept(shown, "doesn't exist; create it with the " + what + " on one line, mode 0600");
    } catch (IOException | UnsupportedOperationException e) {
      error.accept(shown, "cannot be read: " + e.getMessage());
    }
    return null;
  }

  private static int mode(Set<PosixFilePermission> perms) {
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }
}
