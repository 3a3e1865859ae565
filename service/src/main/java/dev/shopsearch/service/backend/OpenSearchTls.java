package dev.shopsearch.service.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust of {@code https://} OpenSearch hosts: {@code shopsearch.opensearch.trust-store} (PKCS12
 * or JKS, detected) opened with the password in {@code trust-store-password-file} (none: no
 * password). Fails the start naming the setting and the file (never a password).
 */
final class OpenSearchTls {
  private OpenSearchTls() {}

  /**
   * @return the TLS context trusting the store's certificates, or null when no store is set (the
   *     JVM's default trust)
   * @throws IllegalArgumentException naming the setting that is unreadable
   */
  static SSLContext sslContext(OpenSearchProperties settings) {
    if (settings.trustStore() == null) {
      if (settings.trustStorePasswordFile() != null) {
        throw new IllegalArgumentException(
            "shopsearch.opensearch.trust-store-password-file is set but"
                + " shopsearch.opensearch.trust-store is not");
      }
      return null;
    }
    char[] password = null;
    if (settings.trustStorePasswordFile() != null) {
      try {
        password =
            Files.readString(settings.trustStorePasswordFile(), StandardCharsets.UTF_8)
                .strip()
                .toCharArray();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read shopsearch.opensearch.trust-store-password-file "
                + settings.trustStorePasswordFile()
                + ": "
                + e.getClass().getSimpleName(),
            null);
      }
    }
    try {
      KeyStore store = KeyStore.getInstance(settings.trustStore().toFile(), password);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot open shopsearch.opensearch.trust-store "
              + settings.trustStore()
              + " (PKCS12 or JKS; password from shopsearch.opensearch.trust-store-password-file): "
              + e.getMessage(),
          null);
    }
  }
}
