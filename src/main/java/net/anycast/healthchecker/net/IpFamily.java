package net.anycast.healthchecker.net;

/** The two address families BIRD keeps separate prefix lists for. */
public enum IpFamily {
  IPV4(4, 32),
  IPV6(6, 128);

  private final int version;
  private final int maxLength;

  IpFamily(int version, int maxLength) {
    this.version = version;
    this.maxLength = maxLength;
  }

  /** Returns 4 or 6, the number the original uses in its log lines ("IPv4", "IPv6"). */
  public int version() {
    return version;
  }

  /** Returns the longest prefix length of the family: 32 or 128. */
  public int maxLength() {
    return maxLength;
  }

  /** Returns "IPv4" or "IPv6". */
  public String label() {
    return "IPv" + version;
  }
}
