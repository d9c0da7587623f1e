package net.anycast.healthchecker.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of {@code check_tcp_send} and {@code check_tcp_expect}: UTF-8 text with the escapes
 * {@code \r \n \t \0 \\ \xHH}, because INI values cannot hold line ends or binary bytes.
 */
final class EscapedBytes {
  private EscapedBytes() {}

  /**
   * Returns the bytes {@code text} stands for.
   *
   * @throws IllegalArgumentException naming the escape that is not one of the above
   */
  static byte[] parse(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder plain = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        plain.append(c);
        continue;
      }
      out.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
      plain.setLength(0);
      if (i + 1 >= text.length()) {
        throw new IllegalArgumentException("a lone '\\' at the end");
      }
      char e = text.charAt(++i);
      switch (e) {
        case 'r' -> out.write('\r');
        case 'n' -> out.write('\n');
        case 't' -> out.write('\t');
        case '0' -> out.write(0);
        case '\\' -> out.write('\\');
        case 'x' -> {
          String hex = text.substring(i + 1, Math.min(text.length(), i + 3));
          if (hex.length() != 2 || !hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
            throw new IllegalArgumentException("'\\x" + hex + "' needs two hex digits");
          }
          out.write(Integer.parseInt(hex, 16));
          i += 2;
        }
        default -> throw new IllegalArgumentException("'\\" + e + "' is not an escape");
      }
    }
    out.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
