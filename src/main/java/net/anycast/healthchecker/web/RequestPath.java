package net.anycast.healthchecker.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path split into decoded segments. Pure.
 *
 * <p>Refuses what could make one name mean another: {@code .} and {@code ..} segments, an
 * encoded slash or backslash ({@code %2f}, {@code %5c}), NUL, bad percent-encoding and bytes
 * that are not UTF-8. A service whose name holds a slash cannot be named in a path; the status
 * document still lists it.
 */
record RequestPath(List<String> segments, boolean trailingSlash) {
  static final int MAX_LENGTH = 2048;

  RequestPath {
    segments = List.copyOf(segments);
  }

  /**
   * Returns the path of a raw (still encoded) request path, as the JDK's server gives it: one
   * char per byte of the request line.
   */
  static RequestPath parse(String raw) throws HttpError {
    if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
      throw HttpError.badRequest("path must start with /");
    }
    if (raw.length() > MAX_LENGTH) {
      throw new HttpError(414, "path longer than " + MAX_LENGTH + " characters");
    }
    List<String> out = new ArrayList<>();
    String body = raw.substring(1);
    boolean trailing = body.endsWith("/");
    if (!body.isEmpty()) {
      for (String seg : (trailing ? body.substring(0, body.length() - 1) : body).split("/", -1)) {
        String s = decode(seg);
        if (s.equals(".") || s.equals("..")) {
          throw HttpError.badRequest("path segments . and .. are not allowed");
        }
        out.add(s);
      }
    }
    return new RequestPath(out, trailing);
  }

  /** Returns true when the path is exactly these segments. */
  boolean is(String... expected) {
    return segments.equals(List.of(expected));
  }

  int size() {
    return segments.size();
  }

  String get(int i) {
    return segments.get(i);
  }

  private static String decode(String seg) throws HttpError {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(seg.length());
    for (int i = 0; i < seg.length(); i++) {
      char c = seg.charAt(i);
      if (c == '%') {
        if (i + 2 >= seg.length()) {
          throw HttpError.badRequest("bad percent-encoding in the path");
        }
        int hi = hexDigit(seg.charAt(i + 1));
        int lo = hexDigit(seg.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          throw HttpError.badRequest("bad percent-encoding in the path");
        }
        int b = hi * 16 + lo;
        if (b == '/' || b == '\\' || b == 0) {
          throw HttpError.badRequest("an encoded /, \\ or NUL is not allowed in the path");
        }
        bytes.write(b);
        i += 2;
      } else if (c < 0x20 || c == 0x7f) {
        throw HttpError.badRequest("control characters are not allowed in the path");
      } else if (c > 0xff) {
        throw HttpError.badRequest("the path is not UTF-8");
      } else {
        // The JDK's server reads the request line byte by byte into chars (ISO-8859-1): a raw
        // UTF-8 name, as curl sends it, arrives as one char per byte and is decoded below.
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw HttpError.badRequest("the path is not UTF-8");
    }
  }

  /** RFC 3986 HEXDIG: ASCII only (Character.digit would take any script's digits). */
  private static int hexDigit(char c) {
    return c < 0x80 ? Character.digit(c, 16) : -1;
  }
}
