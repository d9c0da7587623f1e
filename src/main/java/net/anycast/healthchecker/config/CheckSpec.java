package net.anycast.healthchecker.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One check of a service, as configured: the closed set of kinds. A service has at most one
 * check of each kind (see README "Built-in checks"), so the kind names the check in logs,
 * metrics and the status API.
 */
public sealed interface CheckSpec {

  /** Returns the kind: {@code exec}, {@code http}, {@code tcp} or {@code dns}. */
  String kind();

  /** Returns what the check probes, for logs and the status API. */
  String target();

  /** {@code check_cmd}: a program run without a shell; exit 0 passes. */
  record Exec(String command) implements CheckSpec {
    public Exec {
      Objects.requireNonNull(command, "command");
    }

    @Override
    public String kind() {
      return "exec";
    }

    @Override
    public String target() {
      return command;
    }
  }

  /**
   * {@code check_http_*}: one request; passes on an expected status (and body match).
   *
   * @param headers {@code Name: value} pairs in order, {@code Host} included
   * @param bodyRegex searched for in the first 64 KiB of the body; null for no body check
   * @param sourceAddress the local address to connect from; null for the kernel's choice
   */
  record Http(URI url, String method, List<Header> headers, StatusSet expectStatus,
      Pattern bodyRegex, boolean followRedirects, Tls tls, InetAddress sourceAddress)
      implements CheckSpec {
    public Http {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(method, "method");
      headers = List.copyOf(headers);
      Objects.requireNonNull(expectStatus, "expectStatus");
      Objects.requireNonNull(tls, "tls");
    }

    @Override
    public String kind() {
      return "http";
    }

    @Override
    public String target() {
      return url.toString();
    }

    /** Returns the body pattern when one is configured. */
    public Optional<Pattern> body() {
      return Optional.ofNullable(bodyRegex);
    }

    /** Returns the source address when one is configured. */
    public Optional<InetAddress> source() {
      return Optional.ofNullable(sourceAddress);
    }

    // By value, the pattern by its text and flags (Pattern has no equals of its own): a reload
    // must see an unchanged check as unchanged, or it would restart its loop.
    @Override
    public boolean equals(Object o) {
      return o instanceof Http h && url.equals(h.url) && method.equals(h.method)
          && headers.equals(h.headers) && expectStatus.equals(h.expectStatus)
          && Objects.equals(regexKey(bodyRegex), regexKey(h.bodyRegex))
          && followRedirects == h.followRedirects && tls.equals(h.tls)
          && Objects.equals(sourceAddress, h.sourceAddress);
    }

    @Override
    public int hashCode() {
      return Objects.hash(url, method, headers, expectStatus, regexKey(bodyRegex),
          followRedirects, tls, sourceAddress);
    }

    private static String regexKey(Pattern p) {
      return p == null ? null : p.flags() + "/" + p.pattern();
    }
  }

  /**
   * {@code check_tcp_*}: a connection, optionally TLS, optionally bytes sent and expected.
   *
   * @param tls null for plain TCP
   * @param send sent once connected; empty for nothing
   * @param expect must appear in what the server sends; empty for no read at all
   */
  record Tcp(InetSocketAddress address, Tls tls, byte[] send, byte[] expect)
      implements CheckSpec {
    public Tcp {
      Objects.requireNonNull(address, "address");
      send = send.clone();
      expect = expect.clone();
    }

    @Override
    public String kind() {
      return "tcp";
    }

    @Override
    public String target() {
      return (tls == null ? "tcp://" : "tls://") + HostPort.text(address);
    }

    /** Returns the TLS options when the connection uses TLS. */
    public Optional<Tls> tlsOptions() {
      return Optional.ofNullable(tls);
    }

    @Override
    public byte[] send() {
      return send.clone();
    }

    @Override
    public byte[] expect() {
      return expect.clone();
    }

    // By value, the bytes by content: a reload must see an unchanged check as unchanged.
    @Override
    public boolean equals(Object o) {
      return o instanceof Tcp t && address.equals(t.address) && Objects.equals(tls, t.tls)
          && java.util.Arrays.equals(send, t.send) && java.util.Arrays.equals(expect, t.expect);
    }

    @Override
    public int hashCode() {
      return Objects.hash(address, tls, java.util.Arrays.hashCode(send),
          java.util.Arrays.hashCode(expect));
    }

    @Override
    public String toString() {
      return "Tcp[" + target() + ", send " + send.length + " bytes, expect " + expect.length
          + " bytes]";
    }
  }

  /**
   * {@code check_dns_*}: one query over UDP (TCP when the answer is truncated).
   *
   * @param type the query type's number (1 = A)
   * @param rcode the expected response code's number (0 = NOERROR)
   * @param answer must equal the text of one answer record's data; null for no answer check
   */
  record Dns(InetSocketAddress server, String name, int type, int rcode, String answer)
      implements CheckSpec {
    public Dns {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String kind() {
      return "dns";
    }

    @Override
    public String target() {
      return name + " at " + HostPort.text(server);
    }

    /** Returns the expected answer when one is configured. */
    public Optional<String> expectedAnswer() {
      return Optional.ofNullable(answer);
    }
  }

  /** One request header. */
  record Header(String name, String value) {}

  /**
   * TLS options of an HTTPS or TCP check.
   *
   * @param serverName sent as SNI and matched against the certificate; null for the URL's host
   * @param caFile PEM certificates trusted instead of the JDK's; null for the JDK's
   */
  record Tls(boolean verify, String serverName, java.nio.file.Path caFile) {
    /** Returns the server name when one is configured. */
    public Optional<String> sni() {
      return Optional.ofNullable(serverName);
    }

    /** Returns the CA file when one is configured. */
    public Optional<java.nio.file.Path> ca() {
      return Optional.ofNullable(caFile);
    }
  }
}
