package net.anycast.healthchecker.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The fleet safety valve's settings of {@code [daemon]} (all new in this version): the etcd
 * cluster that nodes announcing the same prefixes share, and how many of them must keep a prefix
 * announced.
 *
 * @param endpoints {@code fleet_etcd_endpoints}: the etcd client URLs; empty when the valve is
 *     off (the default)
 * @param nodeName {@code fleet_node_name}: this node's name in etcd (default: the host name)
 * @param keyPrefix {@code fleet_key_prefix}: where the nodes' keys live in etcd
 * @param leaseTtl {@code fleet_lease_ttl}: the life of this node's keys without a keep-alive,
 *     and how long the node waits on an unreachable etcd before it decides alone
 * @param minAnnouncers {@code fleet_min_announcers}
 * @param tls the TLS context built from {@code fleet_etcd_ca_file}, {@code
 *     fleet_etcd_cert_file} and {@code fleet_etcd_key_file}; null for the JDK's defaults
 * @param caFile {@code fleet_etcd_ca_file}, or null
 * @param certFile {@code fleet_etcd_cert_file}, or null
 * @param keyFile {@code fleet_etcd_key_file}, or null
 * @param user {@code fleet_etcd_user}; null without etcd authentication
 * @param password the password read from {@code fleet_etcd_password_file}; null with no user
 */
public record FleetConfig(
    List<URI> endpoints,
    String nodeName,
    String keyPrefix,
    Duration leaseTtl,
    MinAnnouncers minAnnouncers,
    SSLContext tls,
    Path caFile,
    Path certFile,
    Path keyFile,
    String user,
    HttpConfig.Secret password) {

  public static final String DEFAULT_KEY_PREFIX = "/anycast-healthchecker";
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);

  /** The settings when {@code fleet_etcd_endpoints} is not set: no valve. */
  public static final FleetConfig OFF = new FleetConfig(List.of(), "", DEFAULT_KEY_PREFIX,
      DEFAULT_LEASE_TTL, MinAnnouncers.DEFAULT, null, null, null, null, null, null);

  public FleetConfig {
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(leaseTtl, "leaseTtl");
    Objects.requireNonNull(minAnnouncers, "minAnnouncers");
  }

  /** Returns whether the valve is on. */
  public boolean enabled() {
    return !endpoints.isEmpty();
  }

  /** Returns the TLS context for {@code https} endpoints, when files were configured. */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(tls);
  }

  // The SSLContext has no value equality; a reload compares the files that made it.
  @Override
  public boolean equals(Object o) {
    return o instanceof FleetConfig f && f.endpoints.equals(endpoints)
        && f.nodeName.equals(nodeName) && f.keyPrefix.equals(keyPrefix)
        && f.leaseTtl.equals(leaseTtl) && f.minAnnouncers.equals(minAnnouncers)
        && Objects.equals(f.caFile, caFile) && Objects.equals(f.certFile, certFile)
        && Objects.equals(f.keyFile, keyFile) && Objects.equals(f.user, user)
        && Objects.equals(f.password, password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(endpoints, nodeName, keyPrefix, leaseTtl, minAnnouncers, caFile, certFile, keyFile, user);
  }

  @Override
  public String toString() {
    return "FleetConfig[endpoints=" + endpoints + ", node=" + nodeName + ", prefix=" + keyPrefix
        + ", ttl=" + leaseTtl + ", min=" + minAnnouncers + ", ca=" + caFile + ", cert=" + certFile + ", key=" + keyFile + ", user=" + user
        + "]";
  }
}
