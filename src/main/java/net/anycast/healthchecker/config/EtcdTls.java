package net.anycast.healthchecker.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.function.BiConsumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS context for etcd from PEM files: the CA that signed the etcd servers'
 * certificates, and this node's client certificate and key (PKCS#8, as {@code openssl pkcs8
 * -topk8 -nocrypt} writes it; the JDK reads no other unencrypted key format by itself).
 */
final class EtcdTls {
  private EtcdTls() {}

  /**
   * Returns the context, or null after telling {@code error} (key, bad value, problem). Any of
   * the files may be null: no CA file trusts the JDK's store, no certificate sends none.
   */
  static SSLContext context(Path ca, Path cert, Path key, ErrorSink error) {
    try {
      TrustManagerFactory trust = null;
      if (ca != null) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        Collection<? extends Certificate> certs = certificates(ca, "fleet_etcd_ca_file", error);
        if (certs == null) {
          return null;
        }
        int i = 0;
        for (Certificate c : certs) {
          store.setCertificateEntry("ca" + i++, c);
        }
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
      }
      KeyManagerFactory keys = null;
      if (cert != null) {
        Collection<? extends Certificate> chain = certificates(cert, "fleet_etcd_cert_file", error);
        PrivateKey pk = privateKey(key, error);
        if (chain == null || pk == null) {
          return null;
        }
        if (!matches(pk, chain.iterator().next())) {
          // The JDK's key store takes any pair; etcd would refuse each handshake, and the valve
          // would fall back to local decisions on this node without a word at start-up.
          error.error("fleet_etcd_key_file", key.toString(),
              "is not the key of the certificate in fleet_etcd_cert_file (" + cert + ")");
          return null;
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setKeyEntry("client", pk, new char[0], chain.toArray(Certificate[]::new));
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      error.error("fleet_etcd_cert_file", String.valueOf(cert),
          "cannot set up TLS for etcd: " + e.getMessage());
      return null;
    }
  }

  /** Where an error goes: the key, the bad value and what is wrong. */
  @FunctionalInterface
  interface ErrorSink {
    void error(String key, String value, String problem);
  }

  private static Collection<? extends Certificate> certificates(Path file, String key,
      ErrorSink error) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        error.error(key, file.toString(), "holds no PEM certificate");
        return null;
      }
      return certs;
    } catch (IOException e) {
      error.error(key, file.toString(), "cannot be read: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      error.error(key, file.toString(), "is not a PEM certificate: " + e.getMessage());
    }
    return null;
  }

  /** Returns whether {@code key} signs what the certificate's public key verifies. */
  private static boolean matches(PrivateKey key, Certificate cert)
      throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519
    };
    byte[] probe = "fleet_etcd_key_file".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    try {
      verifier.initVerify(cert.getPublicKey());
    } catch (java.security.InvalidKeyException e) {
      return false; // another algorithm altogether
    }
    verifier.update(probe);
    return verifier.verify(signature);
  }

  private static PrivateKey privateKey(Path file, ErrorSink error) {
    String key = "fleet_etcd_key_file";
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      error.error(key, file.toString(), "cannot be read: " + e.getMessage());
      return null;
    }
    String begin = "-----BEGIN PRIVATE KEY-----";
    int from = text.indexOf(begin);
    int to = text.indexOf("-----END PRIVATE KEY-----");
    if (from < 0 || to < from) {
      error.error(key, file.toString(), "holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY);"
          + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
      return null;
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      error.error(key, file.toString(), "holds a damaged PEM key: " + e.getMessage());
      return null;
    }
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    error.error(key, file.toString(), "holds a key that is neither RSA, EC nor Ed25519");
    return null;
  }
}
