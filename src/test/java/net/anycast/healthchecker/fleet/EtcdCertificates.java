package net.anycast.healthchecker.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CA and the certificates it signed for the etcd TLS tests, made by {@code openssl} in a temp
 * directory: a server certificate for 127.0.0.1 and localhost (also fit for client auth), a client certificate (CN {@code
 * client}), their keys as unencrypted PKCS#8 (what {@code fleet_etcd_key_file} takes), and on
 * request RSA keys in PKCS#1 (what it refuses) and in PKCS#8. EC keys, so that making them is quick.
 */
public final class EtcdCertificates {
  private final Path dir;

  private EtcdCertificates(Path dir) {
    this.dir = dir;
  }

  /** Makes the CA, the server and the client certificates in {@code dir}. */
  public static EtcdCertificates create(Path dir) throws Exception {
    EtcdCertificates c = new EtcdCertificates(Files.createDirectories(dir));
    c.key("ca.key");
    openssl("req", "-x509", "-new", "-key", c.path("ca.key"), "-subj", "/CN=ahc-test-ca",
        "-days", "2", "-out", c.path("ca.pem"));
    // clientAuth too: etcd's JSON gateway dials etcd's own gRPC port presenting the server
    // certificate, which --client-cert-auth refuses without it (etcd-io/etcd#9785, #16590):
    // every /v3 call answers HTTP 503 "failed to write client preface".
    c.signed("server", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        + "extendedKeyUsage=serverAuth,clientAuth\n");
    c.signed("client", "extendedKeyUsage=clientAuth\n");
    return c;
  }

  public Path ca() {
    return dir.resolve("ca.pem");
  }

  public Path serverCert() {
    return dir.resolve("server.pem");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  public Path clientCert() {
    return dir.resolve("client.pem");
  }

  public Path clientKey() {
    return dir.resolve("client.key");
  }

  /** Returns a new RSA key in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), as older tools write. */
  public Path pkcs1Key() throws Exception {
    Path f = dir.resolve("rsa-pkcs1.key");
    openssl("genrsa", "-traditional", "-out", f.toString(), "2048");
    return f;
  }

  /** Returns a new RSA key in PKCS#8, which fits none of the (EC) certificates. */
  public Path rsaKey() throws Exception {
    Path f = dir.resolve("rsa.key");
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
        f.toString());
    return f;
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  /** Writes an EC P-256 key in PKCS#8. */
  private void key(String name) throws Exception {
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", path(name));
  }

  private void signed(String name, String extensions) throws Exception {
    key(name + ".key");
    Files.writeString(dir.resolve(name + ".ext"), extensions);
    openssl("req", "-new", "-key", path(name + ".key"), "-subj", "/CN=" + name,
        "-out", path(name + ".csr"));
    openssl("x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.pem"),
        "-CAkey", path("ca.key"), "-CAcreateserial", "-days", "2",
        "-extfile", path(name + ".ext"), "-out", path(name + ".pem"));
  }

  private static void openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("openssl did not finish: " + String.join(" ", cmd));
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
