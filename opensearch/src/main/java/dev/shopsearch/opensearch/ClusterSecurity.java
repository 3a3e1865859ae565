package dev.shopsearch.opensearch;

import java.nio.file.Path;

/**
 * How to authenticate to a cluster with the security plugin on (its default in production
 * distributions): HTTP basic auth and the certificate authorities trusted for {@code https://}
 * hosts. {@link #toString()} never shows a password ({@link Secret}).
 *
 * @param username basic-auth user, or {@code null} for none
 * @param password basic-auth password, required with {@code username}
 * @param trustStore CA certificates to trust instead of the JVM's: a PEM file ({@code .pem}, {@code
 *     .crt}, {@code .cer}) or a PKCS12/JKS key store; {@code null} for the JVM's trust store
 * @param trustStorePassword the key store's password, or {@code null} (PEM, or a store without one)
 */
public record ClusterSecurity(
    String username, Secret password, Path trustStore, Secret trustStorePassword) {
  /** No authentication, the JVM's trust store. */
  public static final ClusterSecurity NONE = new ClusterSecurity(null, null, null, null);

  public ClusterSecurity {
    if (username != null && username.isBlank()) {
      throw new IllegalArgumentException("username must not be blank");
    }
    if (username != null && password == null) {
      throw new IllegalArgumentException(
          "a password is required with username " + username + " (from an env variable or a file)");
    }
    if (username == null && password != null) {
      throw new IllegalArgumentException("a password was given without a username");
    }
  }

  /** Whether basic auth is configured. */
  public boolean basicAuth() {
    return username != null;
  }
}
