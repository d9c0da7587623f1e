package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One bad configuration per validation rule, each asserting the exact message. */
class ConfigValidationTest {
  @TempDir Path tmp;
  private Path daemonFile;
  private Path serviceDir;

  @BeforeEach
  void layout() throws IOException {
    Files.createDirectories(tmp.resolve("run"));
    Files.createDirectories(tmp.resolve("lib/6"));
    Files.createDirectories(tmp.resolve("log"));
    serviceDir = Files.createDirectories(tmp.resolve("checks"));
    daemonFile = tmp.resolve("daemon.conf");
  }

  private LoadedConfig load(String daemonExtra, String service) throws Exception {
    String daemon = override("""
        [daemon]
        pidfile = {tmp}/run/ahc.pid
        bird_conf = {tmp}/lib/anycast-prefixes.conf
        bird6_conf = {tmp}/lib/6/anycast-prefixes.conf
        """, daemonExtra);
    Files.writeString(daemonFile, daemon.replace("{tmp}", tmp.toString()));
    Files.writeString(serviceDir.resolve("svc.conf"), service.replace("{tmp}", tmp.toString()));
    return new ConfigLoader("/usr/bin:/bin").load(daemonFile, serviceDir, null);
  }

  private static final String SVC = """
      [svc]
      check_cmd = /bin/true
      check_disabled = false
      ip_prefix = 10.0.0.1/32
      """;

  /** Returns {@code base} with each {@code key = value} line of {@code extra} replacing its key. */
  private static String override(String base, String extra) {
    StringBuilder out = new StringBuilder(base);
    for (String line : extra.lines().toList()) {
      String key = line.substring(0, line.indexOf('=')).strip();
      int at = out.indexOf("\n" + key + " =");
      if (at >= 0) {
        int end = out.indexOf("\n", at + 1);
        out.replace(at + 1, end, line);
      } else {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static final String HTTP = SVC + "check_http_url = http://127.0.0.1:8080/health\n";

  private static String svc(String extra) {
    return override(SVC, extra);
  }

  static Stream<Arguments> rules() {
    String d = "{tmp}/daemon.conf: [daemon] ";
    String s = "{tmp}/checks/svc.conf: [svc] ";
    return Stream.of(
        Arguments.of("loglevel", "loglevel = verbose\n", SVC,
            d + "loglevel = 'verbose': not a log level; use debug, info, warning, error or"
                + " critical"),
        Arguments.of("pidfile directory", "pidfile = {tmp}/nope/x.pid\n", SVC,
            d + "pidfile = '{tmp}/nope/x.pid': directory {tmp}/nope doesn't exist; create it"
                + " before the first start"),
        Arguments.of("log_file directory", "log_file = {tmp}/nope/x.log\n", SVC,
            d + "log_file = '{tmp}/nope/x.log': directory {tmp}/nope doesn't exist; create it"
                + " before the first start"),
        Arguments.of("stderr_file is a directory", "stderr_file = {tmp}/log\n", SVC,
            d + "stderr_file = '{tmp}/log': exists but is not a writable file"),
        Arguments.of("stderr_log_server without log_server", "stderr_log_server = yes\n", SVC,
            d + "stderr_log_server = 'true': needs log_server; set log_server or remove"
                + " stderr_log_server"),
        Arguments.of("on_shutdown", "on_shutdown = drain\n", SVC,
            d + "on_shutdown = 'drain': use keep (leave every route as it is, the default) or"
                + " withdraw (withdraw every prefix and wait for BIRD before exiting)"),
        Arguments.of("shutdown_grace negative", "shutdown_grace = -1\n", SVC,
            d + "shutdown_grace = '-1': out of range; expected a number of seconds >= 0, such as"
                + " 0, 2 or 0.5 (at most a year)"),
        Arguments.of("check_env_passthrough", "check_env_passthrough = PATH, LC-ALL\n", SVC,
            d + "check_env_passthrough = 'PATH, LC-ALL': 'LC-ALL' is not an environment variable"
                + " name; expected names separated by commas or spaces, such as PATH, LANG, TZ"),
        Arguments.of("check_user unknown", "check_user = no-such-user-4711\n", SVC,
            d + "check_user = 'no-such-user-4711': no such user; expected the name of a user"
                + " of this host to run the checks as"),
        Arguments.of("shutdown_grace too long", "shutdown_grace = 7200\n", SVC,
            d + "shutdown_grace = '7200': out of range; expected a number of seconds from 0 to"
                + " 3600"),
        Arguments.of("boolean", "ipv6 = maybe\n", SVC,
            d + "ipv6 = 'maybe': not a boolean; use true/false, yes/no, on/off or 1/0"),
        Arguments.of("integer", "log_backups = many\n", SVC,
            d + "log_backups = 'many': not an integer; expected a whole number >= 0"),
        Arguments.of("integer range", "log_server_port = 70000\n", SVC,
            d + "log_server_port = '70000': out of range; expected a whole number from 1 to"
                + " 65535"),
        Arguments.of("changes counter", "bird_changes_counter = 0\n", SVC,
            d + "bird_changes_counter = '0': out of range; expected a whole number >= 1"),
        Arguments.of("splay_startup", "splay_startup = -1\n", SVC,
            d + "splay_startup = '-1': out of range; expected a number of seconds >= 0, such"
                + " as 0, 2 or 0.5 (at most a year)"),
        Arguments.of("dummy prefix", "dummy_ip_prefix = 10.0.0.300/32\n", SVC,
            d + "dummy_ip_prefix = '10.0.0.300/32': not a valid IPv4 prefix (octet 300 (> 255)"
                + " in '10.0.0.300')"),
        Arguments.of("dummy prefix family", "ipv6 = true\ndummy_ip6_prefix = 10.0.0.9/32\n",
            SVC, d + "dummy_ip6_prefix = '10.0.0.9/32': not an IPv6 prefix; expected e.g."
                + " 2001:db8::1/128"),
        Arguments.of("bird_variable", "bird_variable = 1ACAST\n", SVC,
            d + "bird_variable = '1ACAST': not a BIRD symbol; use letters, digits and '_', not"
                + " starting with a digit"),
        Arguments.of("bird_conf directory", "bird_conf = {tmp}/nope/p.conf\n", SVC,
            d + "bird_conf = '{tmp}/nope/p.conf': directory {tmp}/nope doesn't exist; create it"
                + " first (the daemon creates the file, not its directory)"),
        Arguments.of("history collision",
            "ipv6 = true\nbird6_conf = {tmp}/lib/p6.conf\nbird_keep_changes = true\n"
                + "bird6_keep_changes = true\n", SVC,
            d + "bird6_conf = '{tmp}/lib/p6.conf': is in the same directory as bird_conf while"
                + " both keep a history of changes; their history/ directories would collide,"
                + " so put them in different directories"),
        Arguments.of("prometheus_listen", "prometheus_listen = localhost\n", SVC,
            d + "prometheus_listen = 'localhost': not host:port; expected host:port, such as"
                + " 127.0.0.1:9150 or [::1]:9150"),
        Arguments.of("textfile dir",
            "prometheus_exporter = true\nprometheus_collector_textfile_dir = {tmp}/nope\n", SVC,
            d + "prometheus_collector_textfile_dir = '{tmp}/nope': directory doesn't exist;"
                + " create it or set prometheus_exporter = false"),
        Arguments.of("interpolation", "log_server = %(syslog_host)s\n", SVC,
            d + "log_server = '%(syslog_host)s': %(syslog_host)s refers to option"
                + " 'syslog_host', which is neither in section 'daemon' nor in [DEFAULT]"),
        Arguments.of("float", "", svc("check_interval = soon\n"),
            s + "check_interval = 'soon': not a number; expected a number of seconds > 0, such"
                + " as 10 or 0.5"),
        Arguments.of("zero interval", "", svc("check_interval = 0\n"),
            s + "check_interval = '0': out of range; expected a number of seconds > 0, such as"
                + " 10 or 0.5 (at most a year)"),
        Arguments.of("check_rise", "", svc("check_rise = 0\n"),
            s + "check_rise = '0': out of range; expected a whole number from 1 to 1000000"),
        Arguments.of("on_drain", "", svc("on_drain = ignore\n"),
            s + "on_drain = 'ignore': use withdraw (the default: a drained service's prefixes"
                + " are withdrawn) or keep (they stay announced; only the status says drained)"),
        Arguments.of("on_disabled", "", svc("on_disabled = drop\n"),
            s + "on_disabled = 'drop': use withdraw or advertise"),
        Arguments.of("check_mode word", "", svc("check_mode = most\n"),
            s + "check_mode = 'most': use all (every check must pass), any (one is enough) or a"
                + " number from 1 to 1 (the service has 1 check)"),
        Arguments.of("check_mode too many", "", HTTP + "check_mode = 3\n",
            s + "check_mode = '3': use all (every check must pass), any (one is enough) or a"
                + " number from 1 to 2 (the service has 2 checks)"),
        Arguments.of("http scheme", "", svc("check_http_url = ftp://127.0.0.1/\n"),
            s + "check_http_url = 'ftp://127.0.0.1/': the scheme is not http or https; expected"
                + " an http:// or https:// URL such as http://127.0.0.1:8080/health"),
        Arguments.of("http method", "", HTTP + "check_http_method = get\n",
            s + "check_http_method = 'get': use one of DELETE, GET, HEAD, OPTIONS, PATCH, POST,"
                + " PUT (in capitals)"),
        Arguments.of("http status", "", HTTP + "check_http_expect_status = 200-99\n",
            s + "check_http_expect_status = '200-99': '200-99' is not a status code or range;"
                + " expected codes and ranges such as 200-299 or 200, 204, 301-302"),
        Arguments.of("http regex", "", HTTP + "check_http_body_regex = (ok\n",
            s + "check_http_body_regex = '(ok': not a regular expression (Unclosed group);"
                + " expected a Java regex, searched for in the body"),
        Arguments.of("http header", "", HTTP + "check_http_headers = Host www.example.com\n",
            s + "check_http_headers = 'Host www.example.com': 'Host www.example.com' is not"
                + " 'Name: value'; write one header per line (indent the continuation lines)"),
        Arguments.of("http ca file", "", HTTP + "check_http_ca_file = {tmp}/none.pem\n",
            s + "check_http_ca_file = '{tmp}/none.pem': cannot be read; expected a file of PEM"
                + " certificates"),
        Arguments.of("http source", "", HTTP + "check_http_source_address = eth0\n",
            s + "check_http_source_address = 'eth0': 'eth0' is not an IP address (names are not"
                + " resolved); expected a local IP address such as 127.0.0.1 or ::1"),
        Arguments.of("orphan http key", "", svc("check_http_method = HEAD\n"),
            s + "check_http_method = 'HEAD': has no effect without check_http_url; set"
                + " check_http_url or remove it"),
        Arguments.of("tcp name", "", svc("check_tcp_address = localhost:80\n"),
            s + "check_tcp_address = 'localhost:80': 'localhost' is not an IP address (names"
                + " are not resolved); expected IP:port such as 127.0.0.1:443 or [::1]:443"),
        Arguments.of("tcp port", "", svc("check_tcp_address = 127.0.0.1\n"),
            s + "check_tcp_address = '127.0.0.1': the port is missing; expected IP:port such as"
                + " 127.0.0.1:443 or [::1]:443"),
        Arguments.of("tcp escape", "", svc("check_tcp_address = 127.0.0.1:6379\n"
                + "check_tcp_send = PING\\q\n"),
            s + "check_tcp_send = 'PING\\q': '\\q' is not an escape; expected text with the"
                + " escapes \\r \\n \\t \\0 \\\\ \\xHH"),
        Arguments.of("dns name missing", "", svc("check_dns_server = 127.0.0.1\n"),
            s + "check_dns_name: is missing; a DNS check needs the name it asks for, such as"
                + " example.com"),
        Arguments.of("dns type", "", svc("check_dns_server = 127.0.0.1\n"
                + "check_dns_name = example.com\ncheck_dns_type = AAAAA\n"),
            s + "check_dns_type = 'AAAAA': unknown; expected a query type such as A, AAAA, SOA,"
                + " TXT or NS"),
        Arguments.of("dns rcode", "", svc("check_dns_server = 127.0.0.1\n"
                + "check_dns_name = example.com\ncheck_dns_expect_rcode = BROKEN\n"),
            s + "check_dns_expect_rcode = 'BROKEN': unknown; expected a response code such as"
                + " NOERROR, NXDOMAIN or SERVFAIL"),
        Arguments.of("check_cmd missing", "", "[svc]\nip_prefix = 10.0.0.1\n",
            s + "check_cmd: is missing; every service check needs a check: check_cmd,"
                + " check_http_url, check_tcp_address or check_dns_server"),
        Arguments.of("check_cmd not on PATH", "", svc("check_cmd = no-such-prog -x\n"),
            s + "check_cmd = 'no-such-prog -x': program 'no-such-prog' was not found on PATH"
                + " (/usr/bin:/bin); use an absolute path or install it"),
        Arguments.of("check_cmd not executable", "", svc("check_cmd = {tmp}/daemon.conf\n"),
            s + "check_cmd = '{tmp}/daemon.conf': program {tmp}/daemon.conf is not executable"
                + " (chmod +x it)"),
        Arguments.of("check_cmd quoting", "", svc("check_cmd = /bin/echo 'oops\n"),
            s + "check_cmd = '/bin/echo 'oops': cannot be split into words (No closing"
                + " quotation); quote it like a POSIX shell would"),
        Arguments.of("custom command", "",
            SVC + "custom_bird_reconfigure_cmd = /nonexistent/birdc configure\n",
            s + "custom_bird_reconfigure_cmd = '/nonexistent/birdc configure': program"
                + " /nonexistent/birdc doesn't exist"),
        Arguments.of("ip_prefix missing", "", "[svc]\ncheck_cmd = /bin/true\n",
            s + "ip_prefix: is missing; every service check needs the prefix it announces,"
                + " such as 10.52.12.1/32"),
        Arguments.of("ip_prefix invalid", "", svc("ip_prefix = 10.0.0.1/33\n"),
            s + "ip_prefix = '10.0.0.1/33': '10.0.0.1/33' is not an IP prefix (prefix length 33"
                + " is longer than 32); expected ip/prefixlen such as 10.52.12.1/32 or"
                + " fd12::1/128"),
        Arguments.of("ip_prefix host bits", "", svc("ip_prefix = 10.0.0.1/24\n"),
            s + "ip_prefix = '10.0.0.1/24': '10.0.0.1/24' is not an IP prefix (10.0.0.1/24 has"
                + " host bits set); expected ip/prefixlen such as 10.52.12.1/32 or"
                + " fd12::1/128"),
        Arguments.of("IPv6 disabled", "", svc("ip_prefix = fd00::1\n"),
            s + "ip_prefix = 'fd00::1': IPv6 support is disabled ([daemon] ipv6 = false) while"
                + " fd00::1/128 is an IPv6 prefix; set ipv6 = true or remove it"),
        Arguments.of("IPv4 disabled", "ipv4 = false\n", SVC,
            s + "ip_prefix = '10.0.0.1/32': IPv4 support is disabled ([daemon] ipv4 = false)"
                + " while 10.0.0.1/32 is an IPv4 prefix; set ipv4 = true or remove it"),
        Arguments.of("prefix twice", "", svc("ip_prefix = 10.0.0.1, 10.0.0.1/32\n"),
            s + "ip_prefix = '10.0.0.1, 10.0.0.1/32': 10.0.0.1/32 is listed twice"),
        Arguments.of("dummy prefix used", "", svc("ip_prefix = 10.189.200.255\n"),
            s + "ip_prefix = '10.189.200.255/32': is the dummy prefix of [daemon], which is"
                + " always announced; give the service another prefix"),
        Arguments.of("duplicate key", "", SVC + "check_rise = 2\ncheck_rise = 3\n",
            "{tmp}/checks/svc.conf: [svc] check_rise: line 6: option 'check_rise' in section"
                + " 'svc' already exists (first at line 5)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void invalidConfiguration_isReportedWithFileSectionKeyValueAndWhatIsAllowed(
      String rule, String daemonExtra, String serviceExtra, String expected) {
    String want = expected.replace("{tmp}", tmp.toString());
    assertThatThrownBy(() -> load(daemonExtra, serviceExtra))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> {
          ConfigException ce = (ConfigException) e;
          assertThat(ce.errors()).hasSize(1);
          String got = ce.errors().getFirst().toString();
          assertThat(got).isEqualTo(want);
        });
  }

  @Test
  void everyMistake_isReportedAtOnce() throws Exception {
    assertThatThrownBy(() -> load("loglevel = loud\nipv6 = perhaps\n",
        "[svc]\ncheck_cmd = /bin/true\nip_prefix = nonsense\ncheck_fail = -1\n"
            + "[other]\ncheck_cmd = /bin/true\nip_prefix = 10.0.0.2\ncheck_timeout = x\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> {
          ConfigException ce = (ConfigException) e;
          assertThat(ce.errors()).extracting(ConfigError::key)
              .containsExactly("ipv6", "loglevel", "ip_prefix", "check_fail", "check_timeout");
          assertThat(ce.getMessage()).startsWith("5 errors:\n  ");
        });
  }

  @Test
  void builtInChecks_areReadWithTheirDefaults() throws Exception {
    LoadedConfig loaded = load("", """
        [svc]
        check_disabled = false
        ip_prefix = 10.0.0.1/32
        check_http_url = https://127.0.0.1:8443/health
        check_http_headers =
            Host: www.example.com
            X-Check: anycast
        check_tcp_address = [::1]:6379
        check_tcp_send = PING\\r\\n
        check_tcp_expect = +PONG
        check_dns_server = 127.0.0.1:5353
        check_dns_name = example.com
        check_mode = 2
        """);
    ServiceConfig svc = loaded.configuration().services().getFirst();
    assertThat(svc.checks().mode()).isEqualTo(new CheckMode(2));
    assertThat(svc.checks().specs()).extracting(CheckSpec::kind)
        .containsExactly("http", "tcp", "dns");
    CheckSpec.Http http = (CheckSpec.Http) svc.checks().specs().get(0);
    assertThat(http.method()).isEqualTo("GET");
    assertThat(http.expectStatus()).hasToString("200-299");
    assertThat(http.followRedirects()).isFalse();
    assertThat(http.tls().verify()).isTrue();
    assertThat(http.headers()).containsExactly(
        new CheckSpec.Header("Host", "www.example.com"), new CheckSpec.Header("X-Check", "anycast"));
    CheckSpec.Tcp tcp = (CheckSpec.Tcp) svc.checks().specs().get(1);
    assertThat(tcp.target()).isEqualTo("tcp://[::1]:6379");
    assertThat(new String(tcp.send())).isEqualTo("PING\r\n");
    CheckSpec.Dns dns = (CheckSpec.Dns) svc.checks().specs().get(2);
    assertThat(dns.type()).isEqualTo(1);
    assertThat(dns.rcode()).isZero();
    assertThat(svc.checkCmd()).isEmpty();
  }

  @Test
  void kindKeyInDefault_isIgnoredBySectionsWithoutTheKind() throws Exception {
    LoadedConfig loaded = load("", "[DEFAULT]\ncheck_http_tls_verify = false\n" + SVC);
    assertThat(loaded.configuration().services().getFirst().checks().specs())
        .extracting(CheckSpec::kind).containsExactly("exec");
  }

  @Test
  void samePrefixInTwoServices_namesBothServices() throws Exception {
    assertThatThrownBy(() -> load("", SVC + "[svc2]\ncheck_cmd = /bin/true\n"
        + "ip_prefix = 10.0.0.1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("[svc] ip_prefix = '10.0.0.1/32': 10.0.0.1/32 is used by 2"
            + " service checks (svc, svc2); a prefix belongs to one service only")
        .hasMessageContaining("[svc2] ip_prefix");
  }

  @Test
  void unknownKey_isAWarningNamingTheClosestKnownKey() throws Exception {
    LoadedConfig loaded = load("", SVC + "chek_interval = 5\nfrobnicate = 1\n"
        + "bird_conf = /tmp/x\n");
    assertThat(loaded.warnings()).containsExactly(
        tmp + "/checks/svc.conf:5: [svc] unknown option 'chek_interval' is ignored; did you"
            + " mean 'check_interval'?",
        tmp + "/checks/svc.conf:6: [svc] unknown option 'frobnicate' is ignored",
        tmp + "/checks/svc.conf:7: [svc] unknown option 'bird_conf' is ignored; it is a"
            + " [daemon] option and has no effect here");
  }

  @Test
  void symlinkedPrefixFile_isResolvedToItsTarget() throws Exception {
    Path target = tmp.resolve("lib/real.conf");
    Files.writeString(target, "");
    Files.createDirectories(tmp.resolve("etc-bird"));
    Files.createSymbolicLink(tmp.resolve("etc-bird/link.conf"), target);
    LoadedConfig loaded = load("bird_conf = {tmp}/etc-bird/link.conf\n", SVC);
    assertThat(loaded.configuration().daemon().bird4().conf()).isEqualTo(target);
  }

  @Test
  void checkSettings_default_passesACleanEnvironment_andKeepsTheUser() throws Exception {
    DaemonConfig d = load("", SVC).configuration().daemon();
    assertThat(d.checks().passEnv()).contains("PATH", "LANG", "TZ").doesNotContain("NOTIFY_SOCKET");
    assertThat(d.checks().user()).isEmpty();
    DaemonConfig set = load("check_env_passthrough = PATH HTTP_PROXY\ncheck_user = nobody\n", SVC)
        .configuration().daemon();
    assertThat(set.checks().passEnv()).containsExactly("PATH", "HTTP_PROXY");
    assertThat(set.checks().user()).contains("nobody");
  }
}
