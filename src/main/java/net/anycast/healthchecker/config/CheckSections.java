package net.anycast.healthchecker.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads the check keys of one service section: {@code check_cmd} as always, the built-in kinds'
 * {@code check_http_*}, {@code check_tcp_*} and {@code check_dns_*}, and {@code check_mode}.
 *
 * <p>A kind is configured by its first key ({@code check_http_url}, {@code check_tcp_address},
 * {@code check_dns_server}). Another key of the kind without it is an error when the section
 * sets it, and ignored when it comes from {@code [DEFAULT]}, so that defaults for a kind can be
 * shared by sections that do not all use it.
 */
final class CheckSections {
  static final List<String> HTTP = List.of("check_http_url", "check_http_method",
      "check_http_headers", "check_http_expect_status", "check_http_body_regex",
      "check_http_follow_redirects", "check_http_tls_verify", "check_http_tls_server_name",
      "check_http_ca_file", "check_http_source_address");
  static final List<String> TCP = List.of("check_tcp_address", "check_tcp_tls",
      "check_tcp_tls_verify", "check_tcp_tls_server_name", "check_tcp_ca_file", "check_tcp_send",
      "check_tcp_expect");
  static final List<String> DNS = List.of("check_dns_server", "check_dns_name", "check_dns_type",
      "check_dns_expect_rcode", "check_dns_expect_answer");
  static final Set<String> KEYS = keys();

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final String KINDS = "check_cmd, check_http_url, check_tcp_address or"
      + " check_dns_server";

  private final SectionValues v;
  private final CommandResolver commands;

  CheckSections(SectionValues v, CommandResolver commands) {
    this.v = v;
    this.commands = commands;
  }

  private static Set<String> keys() {
    List<String> all = new ArrayList<>(List.of("check_mode"));
    all.addAll(HTTP);
    all.addAll(TCP);
    all.addAll(DNS);
    return Set.copyOf(all);
  }

  /** Returns the checks, or null when any key is invalid (the errors say why). */
  CheckSet read() {
    int before = v.errorCount();
    List<CheckSpec> specs = new ArrayList<>();
    boolean any = v.has("check_cmd") || v.has(HTTP.getFirst()) || v.has(TCP.getFirst())
        || v.has(DNS.getFirst());
    if (!any) {
      v.error("check_cmd", null, "is missing; every service check needs a check: " + KINDS);
      return null;
    }
    if (v.has("check_cmd")) {
      add(specs, execSpec());
    }
    add(specs, kind(HTTP) ? http() : null);
    add(specs, kind(TCP) ? tcp() : null);
    add(specs, kind(DNS) ? dns() : null);
    CheckMode mode = mode(specs.size());
    if (v.errorCount() > before) {
      return null;
    }
    return new CheckSet(specs, mode);
  }

  private static void add(List<CheckSpec> specs, CheckSpec spec) {
    if (spec != null) {
      specs.add(spec);
    }
  }

  /** Returns whether the kind is configured; reports its other keys set without the first. */
  private boolean kind(List<String> keys) {
    if (v.has(keys.getFirst())) {
      return true;
    }
    for (String key : keys.subList(1, keys.size())) {
      if (v.isOwn(key)) {
        v.error(key, v.optionalText(key), "has no effect without " + keys.getFirst()
            + "; set " + keys.getFirst() + " or remove it");
      }
    }
    return false;
  }

  private CheckSpec execSpec() {
    String cmd = v.nonBlank("check_cmd", "every service check needs the command that tells"
        + " whether it is healthy (exit code 0)");
    if (cmd == null) {
      return null;
    }
    var problem = commands.problem(cmd);
    problem.ifPresent(p -> v.error("check_cmd", cmd, p));
    return problem.isPresent() ? null : new CheckSpec.Exec(cmd);
  }

  private CheckMode mode(int checks) {
    String text = v.optionalText("check_mode");
    if (text == null) {
      return CheckMode.ALL;
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    String allowed = "use all (every check must pass), any (one is enough) or a number from 1"
        + " to " + Math.max(1, checks) + " (the service has " + checks + " check"
        + (checks == 1 ? "" : "s") + ")";
    switch (t) {
      case "all":
        return CheckMode.ALL;
      case "any":
        return CheckMode.ANY;
      default:
        break;
    }
    if (!t.isEmpty() && t.length() < 3 && t.chars().allMatch(Character::isDigit)) {
      int n = Integer.parseInt(t);
      if (n >= 1 && n <= checks) {
        return new CheckMode(n);
      }
    }
    v.error("check_mode", text, allowed);
    return null;
  }

  private CheckSpec http() {
    String text = v.nonBlank("check_http_url", "expected a URL such as http://127.0.0.1/health");
    URI url = text == null ? null : url(text);
    String method = v.optionalText("check_http_method");
    method = method == null ? "GET" : method.strip();
    if (!METHODS.contains(method)) {
      v.error("check_http_method", method, "use one of DELETE, GET, HEAD, OPTIONS, PATCH, POST,"
          + " PUT (in capitals)");
    }
    List<CheckSpec.Header> headers = headers();
    StatusSet status = StatusSet.SUCCESS;
    String statusText = v.optionalText("check_http_expect_status");
    if (statusText != null) {
      try {
        status = StatusSet.parse(statusText);
      } catch (IllegalArgumentException e) {
        v.error("check_http_expect_status", statusText, e.getMessage()
            + "; expected codes and ranges such as 200-299 or 200, 204, 301-302");
      }
    }
    Pattern body = regex();
    Boolean redirects = v.has("check_http_follow_redirects")
        ? v.bool("check_http_follow_redirects") : Boolean.FALSE;
    CheckSpec.Tls tls = tls("check_http_tls_verify", "check_http_tls_server_name",
        "check_http_ca_file");
    InetAddress source = sourceAddress();
    if (url == null || !METHODS.contains(method) || headers == null || redirects == null
        || tls == null) {
      return null;
    }
    return new CheckSpec.Http(url, method, headers, status, body, redirects, tls, source);
  }

  private URI url(String text) {
    String allowed = "expected an http:// or https:// URL such as http://127.0.0.1:8080/health";
    try {
      URI u = new URI(text.strip());
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        v.error("check_http_url", text, "the scheme is not http or https; " + allowed);
        return null;
      }
      if (u.getHost() == null || u.getRawUserInfo() != null || u.getRawFragment() != null) {
        v.error("check_http_url", text, "needs a host and no user or #fragment; " + allowed);
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      v.error("check_http_url", text, "not a URL (" + e.getReason() + "); " + allowed);
      return null;
    }
  }

  private List<CheckSpec.Header> headers() {
    String text = v.optionalText("check_http_headers");
    List<CheckSpec.Header> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    for (String line : text.strip().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? "" : line.substring(0, colon).strip();
      if (colon < 0 || !TOKEN.matcher(name).matches()) {
        v.error("check_http_headers", text, "'" + line.strip() + "' is not 'Name: value';"
            + " write one header per line (indent the continuation lines)");
        return null;
      }
      out.add(new CheckSpec.Header(name, line.substring(colon + 1).strip()));
    }
    return out;
  }

  private Pattern regex() {
    String text = v.optionalText("check_http_body_regex");
    if (text == null) {
      return null;
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      v.error("check_http_body_regex", text, "not a regular expression ("
          + e.getDescription() + "); expected a Java regex, searched for in the body");
      return null;
    }
  }

  private InetAddress sourceAddress() {
    String text = v.optionalText("check_http_source_address");
    if (text == null) {
      return null;
    }
    try {
      return HostPort.parse(text, 0).getAddress();
    } catch (IllegalArgumentException e) {
      v.error("check_http_source_address", text, e.getMessage()
          + "; expected a local IP address such as 127.0.0.1 or ::1");
      return null;
    }
  }

  /** Returns the TLS options, or null with an error. */
  private CheckSpec.Tls tls(String verifyKey, String nameKey, String caKey) {
    Boolean verify = v.has(verifyKey) ? v.bool(verifyKey) : Boolean.TRUE;
    String name = v.optionalText(nameKey);
    if (name != null && (name.isBlank() || name.strip().contains(" "))) {
      v.error(nameKey, name, "expected a host name such as www.example.com");
      return null;
    }
    Path ca = v.has(caKey) ? v.path(caKey) : null;
    if (ca != null && !Files.isReadable(ca)) {
      v.error(caKey, ca.toString(), "cannot be read; expected a file of PEM certificates");
      return null;
    }
    if (verify == null || (v.has(caKey) && ca == null)) {
      return null;
    }
    return new CheckSpec.Tls(verify, name == null ? null : name.strip(), ca);
  }

  private CheckSpec tcp() {
    InetSocketAddress address = socketAddress("check_tcp_address", -1,
        "expected IP:port such as 127.0.0.1:443 or [::1]:443");
    Boolean useTls = v.has("check_tcp_tls") ? v.bool("check_tcp_tls") : Boolean.FALSE;
    CheckSpec.Tls tls = null;
    if (Boolean.TRUE.equals(useTls)) {
      tls = tls("check_tcp_tls_verify", "check_tcp_tls_server_name", "check_tcp_ca_file");
    }
    byte[] send = bytes("check_tcp_send");
    byte[] expect = bytes("check_tcp_expect");
    if (address == null || useTls == null || (useTls && tls == null) || send == null
        || expect == null) {
      return null;
    }
    return new CheckSpec.Tcp(address, tls, send, expect);
  }

  private byte[] bytes(String key) {
    String text = v.optionalText(key);
    if (text == null) {
      return new byte[0];
    }
    try {
      return EscapedBytes.parse(text);
    } catch (IllegalArgumentException e) {
      v.error(key, text, e.getMessage() + "; expected text with the escapes \\r \\n \\t \\0"
          + " \\\\ \\xHH");
      return null;
    }
  }

  private InetSocketAddress socketAddress(String key, int defaultPort, String allowed) {
    String text = v.nonBlank(key, allowed);
    if (text == null) {
      return null;
    }
    try {
      return HostPort.parse(text, defaultPort);
    } catch (IllegalArgumentException e) {
      v.error(key, text, e.getMessage() + "; " + allowed);
      return null;
    }
  }

  private CheckSpec dns() {
    InetSocketAddress server = socketAddress("check_dns_server", 53,
        "expected IP or IP:port such as 127.0.0.1, 127.0.0.1:5353 or [::1]:53");
    String name = v.nonBlank("check_dns_name", "a DNS check needs the name it asks for, such as"
        + " example.com");
    if (name != null) {
      try {
        Name.fromString(name.strip(), Name.root);
      } catch (TextParseException e) {
        v.error("check_dns_name", name, "not a DNS name (" + e.getMessage() + ")");
        name = null;
      }
    }
    String typeText = v.optionalText("check_dns_type");
    int type = code("check_dns_type", typeText, Type.value(typeText == null ? "A"
        : typeText.strip()), "a query type such as A, AAAA, SOA, TXT or NS");
    String rcodeText = v.optionalText("check_dns_expect_rcode");
    int rcode = code("check_dns_expect_rcode", rcodeText, Rcode.value(rcodeText == null
        ? "NOERROR" : rcodeText.strip().toUpperCase(Locale.ROOT)),
        "a response code such as NOERROR, NXDOMAIN or SERVFAIL");
    String answer = v.optionalText("check_dns_expect_answer");
    if (answer != null && answer.isBlank()) {
      v.error("check_dns_expect_answer", answer, "is empty; expected record data such as"
          + " 192.0.2.1, or remove the key");
      return null;
    }
    if (server == null || name == null || type < 0 || rcode < 0) {
      return null;
    }
    return new CheckSpec.Dns(server, name.strip(), type, rcode,
        answer == null ? null : answer.strip());
  }

  private int code(String key, String text, int value, String allowed) {
    if (value < 0) {
      v.error(key, text, "unknown; expected " + allowed);
    }
    return value;
  }
}
