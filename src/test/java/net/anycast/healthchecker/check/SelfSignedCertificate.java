package net.anycast.healthchecker.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code name}, made by the JDK's {@code keytool} in a temp
 * directory: the server side of the TLS tests, and its PEM file as a check's CA file.
 */
public final class SelfSignedCertificate {
  private static final char[] PASSWORD = "changeit".toCharArray();

  private final Path keystore;
  private final Path pem;

  private SelfSignedCertificate(Path keystore, Path pem) {
    this.keystore = keystore;
    this.pem = pem;
  }

  /** Returns a new certificate for the DNS name {@code name}, valid for two days. */
  public static SelfSignedCertificate create(Path dir, String name) throws Exception {
    Path ks = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    keytool("-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "svc",
        "-dname", "CN=" + name, "-ext", "san=dns:" + name, "-validity", "2",
        "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "svc", "-keystore", ks.toString(),
        "-storepass", "changeit", "-file", pem.toString());
    return new SelfSignedCertificate(ks, pem);
  }

  private static void keytool(String... args) throws Exception {
    Path bin = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("keytool failed: " + out);
    }
  }

  /** Returns the PEM file of the certificate. */
  Path pem() {
    return pem;
  }

  /** Returns a server context presenting the certificate. */
  public SSLContext serverContext() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
