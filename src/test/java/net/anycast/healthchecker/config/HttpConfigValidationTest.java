package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The keys of the HTTP API ({@code http_listen}, {@code http_token_file}, {@code
 * allow_remote_spool_changes}): one bad value per rule, each with its exact message, in the
 * style of {@link ConfigValidationTest}.
 */
class HttpConfigValidationTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static final String LISTEN = "expected host:port, such as 127.0.0.1:9150 or [::1]:9150";

  @TempDir Path tmp;
  private Path daemonFile;
  private Path serviceDir;

  @BeforeEach
  void layout() throws IOException {
    Files.createDirectories(tmp.resolve("run"));
    Files.createDirectories(tmp.resolve("lib/6"));
    serviceDir = Files.createDirectories(tmp.resolve("checks"));
    daemonFile = tmp.resolve("daemon.conf");
    Files.writeString(serviceDir.resolve("svc.conf"), """
        [svc]
        check_cmd = /bin/true
        ip_prefix = 10.0.0.1/32
        """);
  }

  private LoadedConfig load(String daemonExtra) throws Exception {
    String daemon = """
        [daemon]
        pidfile = {tmp}/run/ahc.pid
        bird_conf = {tmp}/lib/anycast-prefixes.conf
        bird6_conf = {tmp}/lib/6/anycast-prefixes.conf
        """ + daemonExtra;
    Files.writeString(daemonFile, daemon.replace("{tmp}", tmp.toString()));
    return new ConfigLoader("/usr/bin:/bin").load(daemonFile, serviceDir, null);
  }

  private Path tokenFile(String content, String mode) throws IOException {
    Path file = tmp.resolve("token");
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private HttpConfig http(String daemonExtra) throws Exception {
    return load(daemonExtra).configuration().daemon().http();
  }

  /** Rule, daemon lines, token file content (null: none written) and mode, expected error. */
  static Stream<Arguments> rules() {
    String d = "{tmp}/daemon.conf: [daemon] ";
    String tokenKey = d + "http_token_file = '{tmp}/token': ";
    String file = "http_token_file = {tmp}/token\n";
    return Stream.of(
        Arguments.of("http_listen without port", "http_listen = localhost\n", null, null,
            d + "http_listen = 'localhost': not host:port; " + LISTEN),
        Arguments.of("http_listen with empty port", "http_listen = 127.0.0.1:\n", null, null,
            d + "http_listen = '127.0.0.1:': not host:port; " + LISTEN),
        Arguments.of("http_listen without host", "http_listen = :9150\n", null, null,
            d + "http_listen = ':9150': not host:port; " + LISTEN),
        Arguments.of("http_listen IPv6 without brackets", "http_listen = ::1:9150\n", null, null,
            d + "http_listen = '::1:9150': an IPv6 host needs brackets; " + LISTEN),
        Arguments.of("http_listen port 0", "http_listen = 127.0.0.1:0\n", null, null,
            d + "http_listen = '127.0.0.1:0': port must be 1 to 65535; " + LISTEN),
        Arguments.of("http_listen port too large", "http_listen = 127.0.0.1:65536\n", null, null,
            d + "http_listen = '127.0.0.1:65536': port must be 1 to 65535; " + LISTEN),
        Arguments.of("http_listen port not a number", "http_listen = 127.0.0.1:http\n", null,
            null, d + "http_listen = '127.0.0.1:http': port must be 1 to 65535; " + LISTEN),
        Arguments.of("http_token_file missing", file, null, null,
            tokenKey + "doesn't exist; create it with the token on one line, mode 0600"),
        Arguments.of("http_token_file group-readable", file, TOKEN, "rw-r-----",
            tokenKey + "is readable or writable by group or others (mode 640); it must be"
                + " private to its owner: chmod 600 {tmp}/token"),
        Arguments.of("http_token_file world-readable", file, TOKEN, "rw----r--",
            tokenKey + "is readable or writable by group or others (mode 604); it must be"
                + " private to its owner: chmod 600 {tmp}/token"),
        Arguments.of("http_token_file group-writable", file, TOKEN, "rw--w----",
            tokenKey + "is readable or writable by group or others (mode 620); it must be"
                + " private to its owner: chmod 600 {tmp}/token"),
        Arguments.of("http_token_file empty", file, "", "rw-------",
            tokenKey + "is empty; expected one line holding the token"),
        Arguments.of("http_token_file blank", file, " \n\n", "rw-------",
            tokenKey + "is empty; expected one line holding the token"),
        Arguments.of("http_token_file too short", file, "abc123\n", "rw-------",
            tokenKey + "holds a token of 6 characters; use at least 16 (e.g. the output of:"
                + " openssl rand -hex 32)"),
        Arguments.of("http_token_file two lines", file, TOKEN + "\n" + TOKEN + "\n",
            "rw-------",
            tokenKey + "holds more than one line or a space; expected one line holding the"
                + " token"),
        Arguments.of("http_token_file with a space", file, TOKEN + " " + TOKEN, "rw-------",
            tokenKey + "holds more than one line or a space; expected one line holding the"
                + " token"),
        Arguments.of("http_token_file too large", file, "a".repeat(4097), "rw-------",
            tokenKey + "is larger than 4096 bytes; expected one line holding the token"),
        Arguments.of("http_token_file empty value", "http_token_file =\n", null, null,
            d + "http_token_file = '': is empty; expected a file path"),
        Arguments.of("allow_remote_spool_changes not a boolean",
            "allow_remote_spool_changes = perhaps\n", null, null,
            d + "allow_remote_spool_changes = 'perhaps': not a boolean; use true/false, yes/no,"
                + " on/off or 1/0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void invalidHttpSetting_isReportedWithFileSectionKeyValueAndWhatIsAllowed(String rule,
      String daemonExtra, String token, String mode, String expected) throws IOException {
    if (token != null) {
      tokenFile(token, mode);
    }
    String want = expected.replace("{tmp}", tmp.toString());
    assertThatThrownBy(() -> load(daemonExtra))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> {
          ConfigException ce = (ConfigException) e;
          assertThat(ce.errors()).hasSize(1);
          assertThat(ce.errors().getFirst().toString()).isEqualTo(want);
        });
  }

  @Test
  void tokenFileThatIsADirectory_isRefused() throws IOException {
    Files.createDirectory(tmp.resolve("token"));

    assertThatThrownBy(() -> load("http_token_file = {tmp}/token\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors().getFirst().toString())
            .isEqualTo(tmp + "/daemon.conf: [daemon] http_token_file = '" + tmp + "/token': is"
                + " not a regular file; expected a file holding the token"));
  }

  @Test
  void tokenFileThatIsNotUtf8_isRefused() throws IOException {
    Path file = tmp.resolve("token");
    Files.write(file, new byte[] {'a', 'b', (byte) 0xff, (byte) 0xfe, 'c', 'd', 'e', 'f', 'g',
        'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p'});
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> load("http_token_file = {tmp}/token\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors().getFirst().toString())
            .endsWith("': is not UTF-8 text; expected one line holding the token"));
  }

  @Test
  void noKeys_isOff() throws Exception {
    assertThat(http("")).isEqualTo(HttpConfig.OFF);
    assertThat(HttpConfig.OFF.listen()).isNull();
    assertThat(HttpConfig.OFF.bearerToken()).isEmpty();
    assertThat(HttpConfig.OFF.allowRemoteSpoolChanges()).isFalse();
  }

  @Test
  void listenAndPrivateTokenFile_areRead_tokenStripped() throws Exception {
    Path file = tokenFile("  " + TOKEN + "\n", "rw-------");

    HttpConfig http = http("http_listen = 127.0.0.1:9151\nhttp_token_file = {tmp}/token\n");

    assertThat(http.listen()).isEqualTo(InetSocketAddress.createUnresolved("127.0.0.1", 9151));
    assertThat(http.tokenFile()).isEqualTo(file);
    assertThat(http.bearerToken()).map(HttpConfig.Secret::value).contains(TOKEN);
    assertThat(http.allowRemoteSpoolChanges()).isFalse();
  }

  @Test
  void ownerOnlyReadableTokenFile_isAccepted() throws Exception {
    tokenFile(TOKEN, "r--------");

    assertThat(http("http_token_file = {tmp}/token\n").bearerToken()).isPresent();
  }

  @Test
  void tokenOfTheMinimumLength_isAccepted() throws Exception {
    tokenFile("x".repeat(16), "rw-------");

    assertThat(http("http_token_file = {tmp}/token\n").bearerToken()).isPresent();
  }

  @Test
  void ipv6Listen_inBrackets() throws Exception {
    HttpConfig http = http("http_listen = [::1]:9150\n");

    assertThat(http.listen().getHostString()).isEqualTo("::1");
    assertThat(http.listen().getPort()).isEqualTo(9150);
    assertThat(http.bearerToken()).isEmpty();
  }

  @Test
  void allowRemoteSpoolChanges_isABoolean() throws Exception {
    HttpConfig http = http("http_listen = 127.0.0.1:9150\nallow_remote_spool_changes = yes\n");

    assertThat(http.allowRemoteSpoolChanges()).isTrue();
  }

  @Test
  void secret_neverShowsInText() throws Exception {
    tokenFile(TOKEN, "rw-------");

    HttpConfig http = http("http_token_file = {tmp}/token\n");

    assertThat(http.toString()).doesNotContain(TOKEN).contains("(secret)");
  }

  @Test
  void everyBadHttpKey_isReportedAtOnce() {
    assertThatThrownBy(() -> load("http_listen = nowhere\nhttp_token_file = {tmp}/none\n"
        + "allow_remote_spool_changes = sometimes\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).extracting(ConfigError::key)
            .containsExactlyInAnyOrder("http_listen", "http_token_file",
                "allow_remote_spool_changes"));
  }
}
