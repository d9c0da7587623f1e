package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import net.anycast.healthchecker.fleet.EtcdCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fleet valve's keys ({@code fleet_*} of {@code [daemon]}): one bad value per rule, each
 * with its exact message, in the style of {@link HttpConfigValidationTest}; then the defaults,
 * and the keys being ignored while {@code fleet_etcd_endpoints} is unset.
 */
class FleetConfigValidationTest {
  private static final String ON = "fleet_etcd_endpoints = http://127.0.0.1:2379\n";
  private static final String URLS = "expected comma-separated etcd client URLs such as"
      + " http://10.0.0.1:2379,http://10.0.0.2:2379 (https:// for TLS)";
  private static final String NODE = "not a node name; use 1 to 253 letters, digits, '.', '-'"
      + " or '_' (it becomes part of etcd keys)";
  private static final String PREFIX = "not an etcd key prefix; expected a path such as"
      + " /anycast-healthchecker: starting with '/', not ending with '/', no spaces";
  private static final String TTL = "expected a whole number from 2 to 3600";
  private static final String MIN = "expected a whole number of other nodes (such as 1) or a"
      + " percentage of the nodes registered for the prefix (such as 30%)";
  private static final String PASSWORD = "s3cret-password";

  /** Made once: openssl takes a moment. */
  @TempDir static Path certDir;
  private static EtcdCertificates certs;
  private static Path pkcs1;
  private static Path rsa;

  @TempDir Path tmp;
  private Path daemonFile;
  private Path serviceDir;

  @BeforeAll
  static void certificates() throws Exception {
    certs = EtcdCertificates.create(certDir);
    pkcs1 = certs.pkcs1Key();
    rsa = certs.rsaKey();
  }

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
    secret("pw", PASSWORD + "\n", "rw-------");
    secret("pw-world", PASSWORD + "\n", "rw----r--");
    secret("pw-group", PASSWORD + "\n", "rw-r-----");
    secret("pw-empty", "\n", "rw-------");
    Files.writeString(tmp.resolve("empty.pem"), "");
    Files.writeString(tmp.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n"
        + "-----END CERTIFICATE-----\n");
  }

  private void secret(String name, String content, String mode) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  private String expand(String text) {
    return text.replace("{tmp}", tmp.toString()).replace("{certs}", certDir.toString())
        .replace("{pkcs1}", pkcs1.toString()).replace("{rsa}", rsa.toString());
  }

  private LoadedConfig load(String daemonExtra) throws Exception {
    String daemon = """
        [daemon]
        pidfile = {tmp}/run/ahc.pid
        bird_conf = {tmp}/lib/anycast-prefixes.conf
        bird6_conf = {tmp}/lib/6/anycast-prefixes.conf
        """ + daemonExtra;
    Files.writeString(daemonFile, expand(daemon));
    return new ConfigLoader("/usr/bin:/bin").load(daemonFile, serviceDir, null);
  }

  private FleetConfig fleet(String daemonExtra) throws Exception {
    return load(daemonExtra).configuration().daemon().fleet();
  }

  /** Rule, daemon lines, expected error. */
  static Stream<Arguments> rules() {
    String d = "{tmp}/daemon.conf: [daemon] ";
    String ep = d + "fleet_etcd_endpoints = ";
    String cert = "fleet_etcd_cert_file = {certs}/client.pem\n";
    String key = "fleet_etcd_key_file = {certs}/client.key\n";
    String user = "fleet_etcd_user = root\n";
    return Stream.of(
        // fleet_etcd_endpoints
        Arguments.of("endpoint with another scheme", "fleet_etcd_endpoints = ftp://h:2379\n",
            ep + "'ftp://h:2379': 'ftp://h:2379' is not an etcd URL; " + URLS),
        Arguments.of("endpoint without a scheme", "fleet_etcd_endpoints = localhost:2379\n",
            ep + "'localhost:2379': 'localhost:2379' is not an etcd URL; " + URLS),
        Arguments.of("endpoint that is an address", "fleet_etcd_endpoints = 127.0.0.1:2379\n",
            ep + "'127.0.0.1:2379': '127.0.0.1:2379' is not a URL; " + URLS),
        Arguments.of("endpoint without a port", "fleet_etcd_endpoints = http://h\n",
            ep + "'http://h': 'http://h' is not an etcd URL; " + URLS),
        Arguments.of("endpoint with a path", "fleet_etcd_endpoints = http://h:2379/v3\n",
            ep + "'http://h:2379/v3': 'http://h:2379/v3' is not an etcd URL; " + URLS),
        Arguments.of("endpoint with a query", "fleet_etcd_endpoints = http://h:2379?a=1\n",
            ep + "'http://h:2379?a=1': 'http://h:2379?a=1' is not an etcd URL; " + URLS),
        Arguments.of("endpoint with user info", "fleet_etcd_endpoints = http://u:p@h:2379\n",
            ep + "'http://u:p@h:2379': 'http://u:p@h:2379' is not an etcd URL; " + URLS),
        Arguments.of("endpoints separated by a space",
            "fleet_etcd_endpoints = http://a:1 http://b:2\n",
            ep + "'http://a:1 http://b:2': 'http://a:1 http://b:2' is not a URL; " + URLS),
        Arguments.of("second endpoint bad", "fleet_etcd_endpoints = http://a:1, http://b:2/x\n",
            ep + "'http://a:1, http://b:2/x': 'http://b:2/x' is not an etcd URL; " + URLS),
        Arguments.of("empty endpoint between commas",
            "fleet_etcd_endpoints = http://a:1,,http://b:2\n",
            ep + "'http://a:1,,http://b:2': '' is not an etcd URL; " + URLS),
        // fleet_node_name
        Arguments.of("node name with a slash", ON + "fleet_node_name = rack1/node1\n",
            d + "fleet_node_name = 'rack1/node1': " + NODE),
        Arguments.of("node name with a space", ON + "fleet_node_name = node 1\n",
            d + "fleet_node_name = 'node 1': " + NODE),
        Arguments.of("node name empty", ON + "fleet_node_name =\n",
            d + "fleet_node_name = '': " + NODE),
        Arguments.of("node name too long", ON + "fleet_node_name = " + "n".repeat(254) + "\n",
            d + "fleet_node_name = '" + "n".repeat(254) + "': " + NODE),
        // fleet_key_prefix
        Arguments.of("key prefix without a leading slash", ON + "fleet_key_prefix = ahc\n",
            d + "fleet_key_prefix = 'ahc': " + PREFIX),
        Arguments.of("key prefix ending with a slash", ON + "fleet_key_prefix = /ahc/\n",
            d + "fleet_key_prefix = '/ahc/': " + PREFIX),
        Arguments.of("key prefix of only a slash", ON + "fleet_key_prefix = /\n",
            d + "fleet_key_prefix = '/': " + PREFIX),
        Arguments.of("key prefix with a space", ON + "fleet_key_prefix = /any cast\n",
            d + "fleet_key_prefix = '/any cast': " + PREFIX),
        Arguments.of("key prefix empty", ON + "fleet_key_prefix =\n",
            d + "fleet_key_prefix = '': " + PREFIX),
        // fleet_lease_ttl
        Arguments.of("lease TTL below 2", ON + "fleet_lease_ttl = 1\n",
            d + "fleet_lease_ttl = '1': out of range; " + TTL),
        Arguments.of("lease TTL of 0", ON + "fleet_lease_ttl = 0\n",
            d + "fleet_lease_ttl = '0': out of range; " + TTL),
        Arguments.of("lease TTL above an hour", ON + "fleet_lease_ttl = 3601\n",
            d + "fleet_lease_ttl = '3601': out of range; " + TTL),
        Arguments.of("lease TTL negative", ON + "fleet_lease_ttl = -10\n",
            d + "fleet_lease_ttl = '-10': out of range; " + TTL),
        Arguments.of("lease TTL with a unit", ON + "fleet_lease_ttl = 10s\n",
            d + "fleet_lease_ttl = '10s': not an integer; " + TTL),
        Arguments.of("lease TTL with decimals", ON + "fleet_lease_ttl = 2.5\n",
            d + "fleet_lease_ttl = '2.5': not an integer; " + TTL),
        // fleet_min_announcers
        Arguments.of("min announcers in words", ON + "fleet_min_announcers = two\n",
            d + "fleet_min_announcers = 'two': " + MIN),
        Arguments.of("min announcers negative", ON + "fleet_min_announcers = -1\n",
            d + "fleet_min_announcers = '-1': " + MIN),
        Arguments.of("min announcers above 100%", ON + "fleet_min_announcers = 101%%\n",
            d + "fleet_min_announcers = '101%': " + MIN),
        Arguments.of("min announcers a fraction of a node", ON + "fleet_min_announcers = 1.5\n",
            d + "fleet_min_announcers = '1.5': " + MIN),
        Arguments.of("min announcers empty", ON + "fleet_min_announcers =\n",
            d + "fleet_min_announcers = '': " + MIN),
        // client certificate
        Arguments.of("certificate without a key", ON + cert,
            d + "fleet_etcd_key_file: is missing; a client certificate needs both"
                + " fleet_etcd_cert_file and fleet_etcd_key_file"),
        Arguments.of("key without a certificate", ON + key,
            d + "fleet_etcd_cert_file: is missing; a client certificate needs both"
                + " fleet_etcd_cert_file and fleet_etcd_key_file"),
        Arguments.of("key in PKCS#1", ON + cert + "fleet_etcd_key_file = {pkcs1}\n",
            d + "fleet_etcd_key_file = '{pkcs1}': holds no unencrypted PKCS#8 key (BEGIN PRIVATE"
                + " KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8"),
        Arguments.of("key file holding a certificate",
            ON + cert + "fleet_etcd_key_file = {certs}/client.pem\n",
            d + "fleet_etcd_key_file = '{certs}/client.pem': holds no unencrypted PKCS#8 key"
                + " (BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY"
                + " -out KEY.pk8"),
        Arguments.of("key of another certificate",
            ON + cert + "fleet_etcd_key_file = {certs}/server.key\n",
            d + "fleet_etcd_key_file = '{certs}/server.key': is not the key of the certificate in"
                + " fleet_etcd_cert_file ({certs}/client.pem)"),
        Arguments.of("RSA key for an EC certificate", ON + cert + "fleet_etcd_key_file = {rsa}\n",
            d + "fleet_etcd_key_file = '{rsa}': is not the key of the certificate in"
                + " fleet_etcd_cert_file ({certs}/client.pem)"),
        Arguments.of("key file missing", ON + cert + "fleet_etcd_key_file = {tmp}/none.key\n",
            d + "fleet_etcd_key_file = '{tmp}/none.key': cannot be read: {tmp}/none.key"),
        Arguments.of("certificate file empty", ON + key + "fleet_etcd_cert_file = {tmp}/empty.pem\n",
            d + "fleet_etcd_cert_file = '{tmp}/empty.pem': holds no PEM certificate"),
        Arguments.of("certificate file path empty", ON + key + "fleet_etcd_cert_file =\n",
            d + "fleet_etcd_cert_file = '': is empty; expected a file path"),
        // CA
        Arguments.of("CA file with no certificate", ON + "fleet_etcd_ca_file = {tmp}/empty.pem\n",
            d + "fleet_etcd_ca_file = '{tmp}/empty.pem': holds no PEM certificate"),
        Arguments.of("CA file missing", ON + "fleet_etcd_ca_file = {tmp}/none.pem\n",
            d + "fleet_etcd_ca_file = '{tmp}/none.pem': cannot be read: {tmp}/none.pem"),
        // user and password
        Arguments.of("user without a password file", ON + user,
            d + "fleet_etcd_password_file: is missing; etcd authentication needs both"
                + " fleet_etcd_user and fleet_etcd_password_file"),
        Arguments.of("password file without a user", ON + "fleet_etcd_password_file = {tmp}/pw\n",
            d + "fleet_etcd_user: is missing; etcd authentication needs both fleet_etcd_user and"
                + " fleet_etcd_password_file"),
        Arguments.of("user empty", ON + "fleet_etcd_user =\nfleet_etcd_password_file = {tmp}/pw\n",
            d + "fleet_etcd_user = '': is empty; expected the etcd user name"),
        Arguments.of("password file world-readable",
            ON + user + "fleet_etcd_password_file = {tmp}/pw-world\n",
            d + "fleet_etcd_password_file = '{tmp}/pw-world': is readable or writable by group or"
                + " others (mode 604); it must be private to its owner: chmod 600 {tmp}/pw-world"),
        Arguments.of("password file group-readable",
            ON + user + "fleet_etcd_password_file = {tmp}/pw-group\n",
            d + "fleet_etcd_password_file = '{tmp}/pw-group': is readable or writable by group or"
                + " others (mode 640); it must be private to its owner: chmod 600 {tmp}/pw-group"),
        Arguments.of("password file missing",
            ON + user + "fleet_etcd_password_file = {tmp}/none\n",
            d + "fleet_etcd_password_file = '{tmp}/none': doesn't exist; create it with the"
                + " password on one line, mode 0600"),
        Arguments.of("password file empty",
            ON + user + "fleet_etcd_password_file = {tmp}/pw-empty\n",
            d + "fleet_etcd_password_file = '{tmp}/pw-empty': is empty; expected one line holding"
                + " the password"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void invalidFleetSetting_isReportedWithFileSectionKeyValueAndWhatIsAllowed(String rule,
      String daemonExtra, String expected) {
    String want = expand(expected);
    assertThatThrownBy(() -> load(daemonExtra))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).extracting(Object::toString)
            .containsExactly(want));
  }

  @Test
  void garbledCaFile_isRefusedAsNotACertificate() {
    assertThatThrownBy(() -> load(ON + "fleet_etcd_ca_file = {tmp}/garbage.pem\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).singleElement()
            .asString().startsWith(expand("{tmp}/daemon.conf: [daemon] fleet_etcd_ca_file ="
                + " '{tmp}/garbage.pem': is not a PEM certificate: ")));
  }

  @Test
  void interpolationErrorInANodeName_isReportedNotACrash() {
    assertThatThrownBy(() -> load(ON + "fleet_node_name = %(nowhere)s\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).singleElement()
            .extracting(ConfigError::key).isEqualTo("fleet_node_name"));
  }

  @Test
  void interpolationErrorInAKeyPrefixOrUser_isReportedNotACrash() {
    assertThatThrownBy(() -> load(ON + "fleet_key_prefix = %(nowhere)s\n"
        + "fleet_etcd_user = %(nobody)s\nfleet_etcd_password_file = {tmp}/pw\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).extracting(ConfigError::key)
            .containsExactlyInAnyOrder("fleet_key_prefix", "fleet_etcd_user"));
  }

  @Test
  void everyBadFleetKey_isReportedAtOnce() {
    assertThatThrownBy(() -> load(ON + "fleet_node_name = a/b\nfleet_key_prefix = x\n"
        + "fleet_lease_ttl = 1\nfleet_min_announcers = many\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).extracting(ConfigError::key)
            .containsExactlyInAnyOrder("fleet_node_name", "fleet_key_prefix", "fleet_lease_ttl",
                "fleet_min_announcers"));
  }

  @Test
  void withoutEndpoints_theOtherKeysAreIgnored_evenBadOnes() throws Exception {
    FleetConfig fleet = fleet("fleet_node_name = a/b\nfleet_key_prefix = x\n"
        + "fleet_lease_ttl = 1\nfleet_min_announcers = many\nfleet_etcd_user = root\n"
        + "fleet_etcd_cert_file = {tmp}/none.pem\n");

    assertThat(fleet).isEqualTo(FleetConfig.OFF);
    assertThat(fleet.enabled()).isFalse();
  }

  @Test
  void emptyEndpoints_isOff() throws Exception {
    assertThat(fleet("fleet_etcd_endpoints =\nfleet_lease_ttl = 1\n")).isEqualTo(FleetConfig.OFF);
    assertThat(fleet("")).isEqualTo(FleetConfig.OFF);
  }

  @Test
  void defaults_hostName_anycastHealthchecker_tenSeconds_oneOtherNode() throws Exception {
    String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();

    FleetConfig fleet = fleet(ON);

    assertThat(fleet.enabled()).isTrue();
    assertThat(fleet.endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"));
    assertThat(fleet.nodeName()).isEqualTo(host);
    assertThat(fleet.keyPrefix()).isEqualTo("/anycast-healthchecker");
    assertThat(fleet.leaseTtl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(fleet.minAnnouncers()).isEqualTo(MinAnnouncers.DEFAULT);
    assertThat(fleet.minAnnouncers().floor(5)).isEqualTo(1);
    assertThat(fleet.sslContext()).isEmpty();
    assertThat(fleet.user()).isNull();
    assertThat(fleet.password()).isNull();
  }

  @Test
  void percentage_takesBothTheNaturalAndConfigparsersSpelling() throws Exception {
    assertThat(fleet(ON + "fleet_min_announcers = 30%\n").minAnnouncers()).hasToString("30%");
    assertThat(fleet(ON + "fleet_min_announcers = 30%%\n").minAnnouncers()).hasToString("30%");
  }

  @Test
  void everyKeySet_isRead_endpointsWithoutTrailingSlash() throws Exception {
    FleetConfig fleet = fleet("fleet_etcd_endpoints = https://10.0.0.1:2379/ , https://[fd00::2]:2379\n"
        + "fleet_node_name = edge-1.dc_2\nfleet_key_prefix = /dc2/ahc\nfleet_lease_ttl = 3600\n"
        + "fleet_min_announcers = 12.5 %%\nfleet_etcd_ca_file = {certs}/ca.pem\n"
        + "fleet_etcd_cert_file = {certs}/client.pem\nfleet_etcd_key_file = {certs}/client.key\n"
        + "fleet_etcd_user = root\nfleet_etcd_password_file = {tmp}/pw\n");

    assertThat(fleet.endpoints()).containsExactly(URI.create("https://10.0.0.1:2379"),
        URI.create("https://[fd00::2]:2379"));
    assertThat(fleet.nodeName()).isEqualTo("edge-1.dc_2");
    assertThat(fleet.keyPrefix()).isEqualTo("/dc2/ahc");
    assertThat(fleet.leaseTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(fleet.minAnnouncers()).hasToString("12.5%");
    assertThat(fleet.sslContext()).isPresent();
    assertThat(fleet.caFile()).isEqualTo(certDir.resolve("ca.pem"));
    assertThat(fleet.certFile()).isEqualTo(certDir.resolve("client.pem"));
    assertThat(fleet.keyFile()).isEqualTo(certDir.resolve("client.key"));
    assertThat(fleet.user()).isEqualTo("root");
    assertThat(fleet.password().value()).isEqualTo(PASSWORD);
    assertThat(fleet.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void caAlone_givesATlsContext() throws Exception {
    assertThat(fleet(ON + "fleet_etcd_ca_file = {certs}/ca.pem\n").sslContext()).isPresent();
  }

  @Test
  void shortestTtlAndZeroMin_areAccepted() throws Exception {
    FleetConfig fleet = fleet(ON + "fleet_lease_ttl = 2\nfleet_min_announcers = 0\n");

    assertThat(fleet.leaseTtl()).isEqualTo(Duration.ofSeconds(2));
    assertThat(fleet.minAnnouncers().floor(10)).isZero();
    assertThat(List.of(fleet.nodeName())).doesNotContainNull();
  }
}
