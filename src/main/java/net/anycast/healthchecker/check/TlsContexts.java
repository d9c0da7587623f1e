package net.anycast.healthchecker.check;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import net.anycast.healthchecker.config.CheckSpec;

/** The TLS side of HTTPS and TCP+TLS checks: whom to trust and which name to expect. */
final class TlsContexts {
  private TlsContexts() {}

  /**
   * Returns the context for {@code tls}: the JDK's trust store, the CA file's certificates
   * instead, or (verify off) a trust manager that accepts any certificate and any name.
   *
   * @throws IOException when the CA file cannot be read or holds no certificate
   */
  static SSLContext context(CheckSpec.Tls tls) throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      if (!tls.verify()) {
        ctx.init(null, new TrustManager[] {new TrustingAnything()}, null);
      } else if (tls.ca().isPresent()) {
        ctx.init(null, trustManagers(tls), null);
      } else {
        ctx.init(null, null, null);
      }
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static TrustManager[] trustManagers(CheckSpec.Tls tls)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(tls.caFile())) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + i++, c);
      }
      if (i == 0) {
        throw new IOException(tls.caFile() + " holds no PEM certificate");
      }
    }
    TrustManagerFactory f = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    return f.getTrustManagers();
  }

  /**
   * Returns the parameters: host-name verification on when {@code verify}, and the SNI name
   * (which the JDK's trust manager then also checks the certificate against).
   */
  static SSLParameters parameters(SSLContext ctx, CheckSpec.Tls tls) {
    SSLParameters p = ctx.getDefaultSSLParameters();
    if (tls.verify()) {
      p.setEndpointIdentificationAlgorithm("HTTPS");
    }
    tls.sni().ifPresent(name -> p.setServerNames(List.of(new SNIHostName(name))));
    return p;
  }

  /** {@code tls_verify = false}: the operator chose not to check the peer's certificate. */
  private static final class TrustingAnything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
