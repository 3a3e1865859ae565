package dev.shopsearch.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The {@link SSLContext} that trusts the CA certificates of a {@link ClusterSecurity}. */
final class TrustMaterial {
  private TrustMaterial() {}

  /**
   * A key store holding the trusted certificates of {@code file}: every certificate of a PEM file,
   * or a PKCS12/JKS store as it is.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
   */
  static KeyStore load(Path file, Secret password) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
          certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate c : certs) {
          ks.setCertificateEntry("ca-" + i++, c);
        }
        if (i == 0) {
          throw new IllegalArgumentException("trust store " + file + " holds no certificate");
        }
        return ks;
      }
      return KeyStore.getInstance(file.toFile(), password == null ? null : password.reveal());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read trust store "
              + file
              + " (PEM .pem/.crt/.cer, or PKCS12/JKS with its password): "
              + e.getMessage(),
          e);
    }
  }

  /** An SSL context trusting exactly the certificates of {@code file}. */
  static SSLContext sslContext(Path file, Secret password) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(load(file, password));
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use trust store " + file + ": " + e, e);
    }
  }
}
