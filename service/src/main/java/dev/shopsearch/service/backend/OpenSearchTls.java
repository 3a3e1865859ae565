package dev.shopsearch.service.backend;

import dev.shopsearch.opensearch.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The trust of {@code https://} OpenSearch hosts: {@code shopsearch.opensearch.trust-store} (PEM
 * {@code .pem}/{@code .crt}/{@code .cer}, or a PKCS12/JKS key store) opened with the password in
 * {@code trust-store-password-file} (none: no password), handed to the opensearch module as part of
 * its {@link dev.shopsearch.opensearch.ClusterSecurity}, which builds the TLS context. Fails the
 * start naming the setting and the file (never a password).
 */
final class OpenSearchTls {
  private OpenSearchTls() {}

  /**
   * The trust store's password.
   *
   * @return the password from {@code trust-store-password-file}, or null when none is set
   * @throws IllegalArgumentException naming the setting that is unreadable, or a password file
   *     without a trust store
   */
  static Secret trustStorePassword(OpenSearchProperties settings) {
    if (settings.trustStore() == null) {
      if (settings.trustStorePasswordFile() != null) {
        throw new IllegalArgumentException(
            "shopsearch.opensearch.trust-store-password-file is set but"
                + " shopsearch.opensearch.trust-store is not");
      }
      return null;
    }
    if (settings.trustStorePasswordFile() == null) {
      return null;
    }
    try {
      return Secret.of(
          Files.readString(settings.trustStorePasswordFile(), StandardCharsets.UTF_8).strip(),
          "shopsearch.opensearch.trust-store-password-file " + settings.trustStorePasswordFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read shopsearch.opensearch.trust-store-password-file "
              + settings.trustStorePasswordFile()
              + ": "
              + e.getClass().getSimpleName(),
          null);
    }
  }
}
