package net.anycast.healthchecker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.anycast.healthchecker.config.ConfigLoader;
import net.anycast.healthchecker.config.FleetConfig;
import net.anycast.healthchecker.config.HttpConfig;
import net.anycast.healthchecker.config.MinAnnouncers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EtcdClient} against a real one-member etcd on loopback: leases, keys, the transaction
 * the valve withdraws with, failover between endpoints, the deadline, user/password
 * authentication and TLS with a client certificate.
 */
@Tag("e2e")
class EtcdClientTest {
  private static final String ROOT = "/ahc-test";
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final String PASSWORD = "pa55-word";

  @TempDir Path dir;
  private EtcdCluster etcd;

  @AfterEach
  void stop() throws Exception {
    if (etcd != null) {
      etcd.close();
    }
  }

  private static FleetConfig config(List<URI> endpoints) {
    return config(endpoints, null, null);
  }

  private static FleetConfig config(List<URI> endpoints, String user, String password) {
    return new FleetConfig(endpoints, "n1", ROOT, Duration.ofSeconds(5), MinAnnouncers.DEFAULT,
        null, null, null, null, user, password == null ? null : new HttpConfig.Secret(password));
  }

  private EtcdClient started() throws Exception {
    etcd = EtcdCluster.onLoopback(dir.resolve("etcd"), 1);
    return new EtcdClient(config(etcd.uris()), DEADLINE);
  }

  @Test
  void grantKeepAliveRevoke_keysVanishOnRevoke() throws Exception {
    EtcdClient client = started();

    long lease = client.grant(Duration.ofSeconds(30));
    client.put(ROOT + "/a", "1", lease);
    client.put(ROOT + "/b", "2", lease);
    long left = client.keepAlive(lease);

    assertThat(lease).isNotZero();
    assertThat(left).isBetween(1L, 30L);
    assertThat(client.entries(ROOT + "/").keySet()).containsExactlyInAnyOrder(ROOT + "/a", ROOT + "/b");
    assertThat(etcd.keys(ROOT + "/")).containsExactlyInAnyOrder(ROOT + "/a", ROOT + "/b");

    client.revoke(lease);

    assertThat(client.entries(ROOT + "/").keySet()).isEmpty();
    assertThat(etcd.keys(ROOT + "/")).isEmpty();
    assertThat(client.keepAlive(lease)).as("a revoked lease has no time left")
        .isLessThanOrEqualTo(0);
  }

  @Test
  void twoLeases_revokingOneKeepsTheOthersKeys() throws Exception {
    EtcdClient client = started();
    long mine = client.grant(Duration.ofSeconds(30));
    long theirs = client.grant(Duration.ofSeconds(30));
    client.put(ROOT + "/mine", "", mine);
    client.put(ROOT + "/theirs", "", theirs);

    client.revoke(mine);

    assertThat(client.entries(ROOT + "/").keySet()).containsExactly(ROOT + "/theirs");
  }

  @Test
  void putKeysDelete_keysReadsOnlyBelowThePrefix() throws Exception {
    EtcdClient client = started();

    client.put(ROOT + "/10.0.0.1/32/members/n1", "", 0);
    client.put(ROOT + "/10.0.0.1/32/announcers/n1", "", 0);
    client.put(ROOT + "/2001:db8::1/128/members/n1", "", 0);
    client.put(ROOT + "-other/x", "", 0);
    client.put("/ahc-tesu/x", "", 0);

    assertThat(client.entries(ROOT + "/").keySet()).containsExactlyInAnyOrder(
        ROOT + "/10.0.0.1/32/members/n1", ROOT + "/10.0.0.1/32/announcers/n1",
        ROOT + "/2001:db8::1/128/members/n1");
    assertThat(client.entries(ROOT + "/10.0.0.1/32/").keySet())
        .containsExactlyInAnyOrder(ROOT + "/10.0.0.1/32/members/n1",
            ROOT + "/10.0.0.1/32/announcers/n1");

    client.delete(ROOT + "/10.0.0.1/32/announcers/n1");
    client.delete(ROOT + "/never-there");

    assertThat(client.entries(ROOT + "/10.0.0.1/32/").keySet())
        .containsExactly(ROOT + "/10.0.0.1/32/members/n1");
    assertThat(client.entries("/nothing/").keySet()).isEmpty();
    assertThat(client.requests()).isGreaterThanOrEqualTo(10);
    assertThat(client.failures()).isZero();
  }

  @Test
  void deleteIfAllExist_deletesWhenEveryWitnessIsThere() throws Exception {
    EtcdClient client = started();
    client.put(ROOT + "/me", "", 0);
    client.put(ROOT + "/w1", "", 0);
    client.put(ROOT + "/w2", "", 0);

    boolean deleted = client.deleteIfAllExist(ROOT + "/me", List.of(ROOT + "/w1", ROOT + "/w2"));

    assertThat(deleted).isTrue();
    assertThat(client.entries(ROOT + "/").keySet()).containsExactlyInAnyOrder(ROOT + "/w1", ROOT + "/w2");
  }

  @Test
  void deleteIfAllExist_oneWitnessGone_deletesNothing() throws Exception {
    EtcdClient client = started();
    client.put(ROOT + "/me", "", 0);
    client.put(ROOT + "/w1", "", 0);

    boolean deleted = client.deleteIfAllExist(ROOT + "/me", List.of(ROOT + "/w1", ROOT + "/w2"));

    assertThat(deleted).isFalse();
    assertThat(client.entries(ROOT + "/").keySet()).containsExactlyInAnyOrder(ROOT + "/me", ROOT + "/w1");
  }

  @Test
  void deleteIfAllExist_noWitnesses_deletes() throws Exception {
    EtcdClient client = started();
    client.put(ROOT + "/me", "", 0);

    assertThat(client.deleteIfAllExist(ROOT + "/me", List.of())).isTrue();
    assertThat(client.entries(ROOT + "/").keySet()).isEmpty();
  }

  @Test
  void deleteIfAllExist_witnessUnderARevokedLease_deletesNothing() throws Exception {
    EtcdClient client = started();
    long theirs = client.grant(Duration.ofSeconds(30));
    client.put(ROOT + "/me", "", 0);
    client.put(ROOT + "/w1", "", theirs);
    client.revoke(theirs);

    assertThat(client.deleteIfAllExist(ROOT + "/me", List.of(ROOT + "/w1"))).isFalse();
    assertThat(client.entries(ROOT + "/").keySet()).containsExactly(ROOT + "/me");
  }

  @Test
  void failover_firstEndpointRefuses_theNextAnswers_andIsTriedFirstFromThen() throws Exception {
    etcd = EtcdCluster.onLoopback(dir.resolve("etcd"), 1);
    List<URI> endpoints = new ArrayList<>();
    endpoints.add(URI.create("http://127.0.0.1:" + closedPort()));
    endpoints.addAll(etcd.uris());
    EtcdClient client = new EtcdClient(config(endpoints), DEADLINE);

    client.put(ROOT + "/k", "v", 0);
    long afterFirst = client.requests();
    assertThat(client.entries(ROOT + "/").keySet()).containsExactly(ROOT + "/k");

    assertThat(afterFirst).as("the refused endpoint, then the live one").isEqualTo(2);
    assertThat(client.requests() - afterFirst).as("the live one only").isEqualTo(1);
    assertThat(client.failures()).isZero();
  }

  @Test
  void everyEndpointRefuses_failsSaying() throws Exception {
    EtcdClient client = new EtcdClient(config(List.of(
        URI.create("http://127.0.0.1:" + closedPort()),
        URI.create("http://127.0.0.1:" + closedPort()))), DEADLINE);

    assertThatThrownBy(() -> client.entries(ROOT + "/").keySet())
        .isInstanceOf(EtcdException.class)
        .hasMessageStartingWith("unreachable: http://127.0.0.1:");
    assertThat(client.failures()).isEqualTo(1);
  }

  @Test
  void deadline_nothingAnswers_failsWithinAboutTheDeadline() throws Exception {
    try (SilentServer a = new SilentServer(); SilentServer b = new SilentServer()) {
      Duration deadline = Duration.ofSeconds(1);
      EtcdClient client = new EtcdClient(config(List.of(a.uri(), b.uri())), deadline);

      long start = System.nanoTime();
      assertThatThrownBy(() -> client.grant(Duration.ofSeconds(10)))
          .isInstanceOf(EtcdException.class)
          .hasMessageContaining("did not answer within");
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      // One deadline over both endpoints, not one each; generous slack for a busy machine.
      assertThat(took).isBetween(deadline.minusMillis(100), deadline.plusSeconds(4));
      assertThat(a.accepted()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void auth_userAndPassword_work_wrongPasswordFailsClearly() throws Exception {
    etcd = EtcdCluster.onLoopback(dir.resolve("etcd"), 1);
    assertThat(etcd.etcdctl("user", "add", "root:" + PASSWORD).code()).isZero();
    EtcdCluster.Result enable = etcd.etcdctl("auth", "enable");
    assertThat(enable.code()).as(enable.output()).isZero();

    EtcdClient client = new EtcdClient(config(etcd.uris(), "root", PASSWORD), DEADLINE);
    long lease = client.grant(Duration.ofSeconds(30));
    client.put(ROOT + "/k", "v", lease);
    assertThat(client.entries(ROOT + "/").keySet()).containsExactly(ROOT + "/k");

    EtcdClient wrong = new EtcdClient(config(etcd.uris(), "root", "not-it"), DEADLINE);
    assertThatThrownBy(() -> wrong.entries(ROOT + "/").keySet())
        .isInstanceOf(EtcdException.class)
        .hasMessageContaining("/v3/auth/authenticate")
        .hasMessageContaining("authentication failed");

    EtcdClient anonymous = new EtcdClient(config(etcd.uris()), DEADLINE);
    assertThatThrownBy(() -> anonymous.put(ROOT + "/x", "", 0))
        .isInstanceOf(EtcdException.class)
        .hasMessageContaining("user name is empty");
  }

  @Test
  void auth_tokenInvalidated_isFetchedAgainOnce() throws Exception {
    etcd = EtcdCluster.onLoopback(dir.resolve("etcd"), 1);
    assertThat(etcd.etcdctl("user", "add", "root:" + PASSWORD).code()).isZero();
    assertThat(etcd.etcdctl("auth", "enable").code()).isZero();
    EtcdClient client = new EtcdClient(config(etcd.uris(), "root", PASSWORD), DEADLINE);
    client.put(ROOT + "/k", "v", 0);

    // Disabling auth drops every simple token; enabling it again makes the client's stale.
    EtcdCluster.Result disable = etcd.etcdctl("--user", "root:" + PASSWORD, "auth", "disable");
    assertThat(disable.code()).as(disable.output()).isZero();
    assertThat(etcd.etcdctl("auth", "enable").code()).isZero();

    assertThat(client.entries(ROOT + "/").keySet()).containsExactly(ROOT + "/k");
  }

  @Test
  void tls_clientCertificateFromTheConfig_connects_withoutOneIsRefused() throws Exception {
    EtcdCertificates certs = EtcdCertificates.create(dir.resolve("certs"));
    etcd = EtcdCluster.onLoopbackWithTls(dir.resolve("etcd"), certs);
    assertThat(etcd.endpoints()).startsWith("https://127.0.0.1:");

    FleetConfig withCert = loaded("fleet_etcd_ca_file = " + certs.ca() + "\n"
        + "fleet_etcd_cert_file = " + certs.clientCert() + "\n"
        + "fleet_etcd_key_file = " + certs.clientKey() + "\n");
    EtcdClient client = new EtcdClient(withCert, DEADLINE);
    long lease = client.grant(Duration.ofSeconds(30));
    client.put(ROOT + "/k", "v", lease);
    assertThat(client.entries(ROOT + "/").keySet()).containsExactly(ROOT + "/k");

    FleetConfig caOnly = loaded("fleet_etcd_ca_file = " + certs.ca() + "\n");
    EtcdClient noCert = new EtcdClient(caOnly, DEADLINE);
    assertThatThrownBy(() -> noCert.entries(ROOT + "/").keySet())
        .isInstanceOf(EtcdException.class)
        .hasMessageStartingWith("unreachable: " + etcd.endpoints());

    FleetConfig noCa = loaded("fleet_etcd_cert_file = " + certs.clientCert() + "\n"
        + "fleet_etcd_key_file = " + certs.clientKey() + "\n");
    EtcdClient untrusted = new EtcdClient(noCa, DEADLINE);
    assertThatThrownBy(() -> untrusted.entries(ROOT + "/").keySet())
        .as("the JDK's trust store does not know the test CA")
        .isInstanceOf(EtcdException.class)
        .hasMessageStartingWith("unreachable: " + etcd.endpoints());
  }

  /** Returns the fleet settings the real config loader reads with {@code fleetLines}. */
  private FleetConfig loaded(String fleetLines) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf-" + System.nanoTime()));
    Files.createDirectories(conf.resolve("lib"));
    Path checks = Files.createDirectories(conf.resolve("checks"));
    Files.writeString(checks.resolve("svc.conf"), """
        [svc]
        check_cmd = /bin/true
        ip_prefix = 10.0.0.1/32
        """);
    Path daemon = conf.resolve("daemon.conf");
    Files.writeString(daemon, "[daemon]\npidfile = " + conf + "/ahc.pid\n"
        + "bird_conf = " + conf + "/lib/anycast-prefixes.conf\nipv6 = false\n"
        + "fleet_etcd_endpoints = " + etcd.endpoints() + "\n"
        + "fleet_node_name = n1\nfleet_key_prefix = " + ROOT + "\n" + fleetLines);
    Files.setPosixFilePermissions(daemon, PosixFilePermissions.fromString("rw-------"));
    FleetConfig fleet = new ConfigLoader("/usr/bin:/bin").load(daemon, checks, null)
        .configuration().daemon().fleet();
    assertThat(fleet.enabled()).isTrue();
    return fleet;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A loopback server that accepts connections and never answers; closed by the test. */
  private static final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new ArrayList<>();
    private final Thread acceptor;

    SilentServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 100 && !socket.isClosed(); i++) {
          try {
            Socket s = socket.accept();
            synchronized (held) {
              held.add(s);
            }
          } catch (IOException e) {
            return; // closed
          }
        }
      });
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    int accepted() {
      synchronized (held) {
        return held.size();
      }
    }

    @Override
    public void close() throws Exception {
      socket.close();
      synchronized (held) {
        for (Socket s : held) {
          s.close();
        }
      }
      acceptor.join(Duration.ofSeconds(5));
    }
  }
}
