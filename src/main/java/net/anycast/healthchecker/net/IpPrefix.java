package net.anycast.healthchecker.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * An IP network: an address with its host bits zero, and a prefix length.
 *
 * <p>Parsed once from text and never passed around as a String again. Parsing follows Python's
 * {@code ipaddress.ip_network(text)} (strict), which is what the original validates with: a
 * missing length means a host prefix (/32, /128), host bits set is an error, IPv4 octets with
 * leading zeros and surrounding spaces are rejected, and nothing is ever resolved through DNS. {@link #toString()} is
 * Python's {@code with_prefixlen}: IPv6 compressed and lower-case (RFC 5952).
 */
public record IpPrefix(IpFamily family, byte[] address, int length)
    implements Comparable<IpPrefix> {

  private static final Comparator<IpPrefix> ORDER =
      Comparator.comparing(IpPrefix::family)
          .thenComparing(IpPrefix::address, Arrays::compareUnsigned)
          .thenComparingInt(IpPrefix::length);

  public IpPrefix {
    address = address.clone();
    if (address.length != family.maxLength() / 8) {
      throw new IllegalArgumentException("address has " + address.length + " bytes");
    }
    if (length < 0 || length > family.maxLength()) {
      throw new IllegalArgumentException("prefix length " + length + " out of range");
    }
    if (!hostBitsZero(address, length)) {
      throw new IllegalArgumentException("has host bits set");
    }
  }

  /**
   * Returns the prefix written in {@code text} ({@code 10.0.0.1}, {@code 10.0.0.0/24},
   * {@code 2001:db8::/64}).
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static IpPrefix parse(String text) {
    String s = text;
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes;
    IpFamily family;
    if (addr.contains(":")) {
      bytes = AddressText.parseV6(addr);
      family = IpFamily.IPV6;
    } else {
      bytes = AddressText.parseV4(addr);
      family = IpFamily.IPV4;
    }
    int length = family.maxLength();
    if (slash >= 0) {
      String len = s.substring(slash + 1);
      if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("'" + len + "' is not a valid prefix length");
      }
      length = Integer.parseInt(len);
      if (length > family.maxLength()) {
        throw new IllegalArgumentException(
            "prefix length " + length + " is longer than " + family.maxLength());
      }
    }
    if (!hostBitsZero(bytes, length)) {
      throw new IllegalArgumentException(text + " has host bits set");
    }
    return new IpPrefix(family, bytes, length);
  }

  /** Returns true when {@code text} parses as a prefix. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Returns the network address as an InetAddress (no name lookup happens). */
  public InetAddress inetAddress() {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: the length is checked
    }
  }

  @Override
  public byte[] address() {
    return address.clone();
  }

  /** Returns the address part alone, formatted like Python's {@code network_address}. */
  public String addressText() {
    return family == IpFamily.IPV4 ? AddressText.formatV4(address) : AddressText.formatV6(address);
  }

  /** Returns true when this is a host prefix (/32 or /128). */
  public boolean isHost() {
    return length == family.maxLength();
  }

  @Override
  public String toString() {
    return addressText() + "/" + length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpPrefix p
        && p.family == family
        && p.length == length
        && Arrays.equals(p.address, address);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * family.hashCode() + Arrays.hashCode(address)) + length;
  }

  @Override
  public int compareTo(IpPrefix other) {
    return ORDER.compare(this, other);
  }

  private static boolean hostBitsZero(byte[] bytes, int length) {
    for (int bit = length; bit < bytes.length * 8; bit++) {
      if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return false;
      }
    }
    return true;
  }
}
