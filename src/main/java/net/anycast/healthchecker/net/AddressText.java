package net.anycast.healthchecker.net;

/**
 * Literal IPv4/IPv6 address text to bytes and back, by hand because {@code InetAddress}
 * may resolve names and accepts forms Python's {@code ipaddress} rejects (and vice versa).
 */
final class AddressText {
  private AddressText() {}

  static byte[] parseV4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + text + "' does not appear to be an IPv4 address");
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("'" + text + "' does not appear to be an IPv4 address");
      }
      if (p.length() > 1 && p.charAt(0) == '0') {
        throw new IllegalArgumentException(
            "leading zeros are not permitted in '" + p + "' of '" + text + "'");
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        throw new IllegalArgumentException("octet " + v + " (> 255) in '" + text + "'");
      }
      out[i] = (byte) v;
    }
    return out;
  }

  static byte[] parseV6(String text) {
    if (text.indexOf('%') >= 0) {
      throw new IllegalArgumentException("a scope id is not allowed in '" + text + "'");
    }
    String body = text;
    byte[] tailV4 = null;
    int lastColon = body.lastIndexOf(':');
    if (body.indexOf('.', lastColon) >= 0) {
      tailV4 = parseV4(body.substring(lastColon + 1));
      body = body.substring(0, lastColon + 1) + "0:0";
    }
    int dbl = body.indexOf("::");
    if (dbl >= 0 && body.indexOf("::", dbl + 1) >= 0) {
      throw new IllegalArgumentException("at most one '::' is permitted in '" + text + "'");
    }
    String[] head;
    String[] tail;
    if (dbl >= 0) {
      head = groups(body.substring(0, dbl), text);
      tail = groups(body.substring(dbl + 2), text);
      if (head.length + tail.length > 7) {
        throw new IllegalArgumentException("too many groups in '" + text + "'");
      }
    } else {
      head = groups(body, text);
      tail = new String[0];
      if (head.length != 8) {
        throw new IllegalArgumentException("'" + text + "' does not have 8 groups");
      }
    }
    int[] words = new int[8];
    for (int i = 0; i < head.length; i++) {
      words[i] = word(head[i], text);
    }
    for (int i = 0; i < tail.length; i++) {
      words[8 - tail.length + i] = word(tail[i], text);
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (words[i] >>> 8);
      out[2 * i + 1] = (byte) words[i];
    }
    if (tailV4 != null) {
      System.arraycopy(tailV4, 0, out, 12, 4);
    }
    return out;
  }

  private static String[] groups(String s, String text) {
    if (s.isEmpty()) {
      return new String[0];
    }
    String[] g = s.split(":", -1);
    for (String x : g) {
      if (x.isEmpty()) {
        throw new IllegalArgumentException("empty group in '" + text + "'");
      }
    }
    return g;
  }

  private static int word(String g, String text) {
    if (g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
      throw new IllegalArgumentException("'" + g + "' is not a hex group in '" + text + "'");
    }
    return Integer.parseInt(g, 16);
  }

  static String formatV4(byte[] a) {
    return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
  }

  /** RFC 5952: lower-case hex, the longest run (2+) of zero groups, the first on a tie, as "::". */
  static String formatV6(byte[] a) {
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) {
      w[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (w[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && w[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(w[i]));
    }
    return sb.toString();
  }
}
