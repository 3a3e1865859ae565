package dev.shopsearch.service.backend;

import dev.shopsearch.opensearch.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.function.UnaryOperator;

/**
 * The basic-auth credentials of {@code shopsearch.opensearch.*}: the password from {@code
 * password-file}, else from the environment variable {@code password-env}. Fails the start with a
 * message naming the setting (never the password) when a username has no password or a password
 * source has no username.
 */
final class OpenSearchCredentials {
  private OpenSearchCredentials() {}

  /**
   * A basic-auth login for {@link dev.shopsearch.opensearch.ClusterSecurity}.
   *
   * @param username the user
   * @param password the password ({@link Secret}: its {@code toString} hides it)
   */
  record Login(String username, Secret password) {}

  /**
   * @param env reads an environment variable (null when unset)
   * @return the credentials, or null when no username is configured
   * @throws IllegalArgumentException naming the setting that is missing or unreadable
   */
  static Login resolve(OpenSearchProperties settings, UnaryOperator<String> env) {
    String user = settings.username();
    if (user == null || user.isBlank()) {
      if (settings.passwordFile() != null) {
        throw new IllegalArgumentException(
            "shopsearch.opensearch.password-file is set but shopsearch.opensearch.username is not");
      }
      return null;
    }
    String password;
    String source;
    if (settings.passwordFile() != null) {
      source = "shopsearch.opensearch.password-file " + settings.passwordFile();
      try {
        password = Files.readString(settings.passwordFile(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read shopsearch.opensearch.password-file "
                + settings.passwordFile()
                + ": "
                + e.getClass().getSimpleName(),
            null);
      }
      if (password.isEmpty()) {
        throw new IllegalArgumentException(
            "shopsearch.opensearch.password-file " + settings.passwordFile() + " is empty");
      }
    } else {
      source = "env " + settings.passwordEnv();
      password = env.apply(settings.passwordEnv());
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException(
            "shopsearch.opensearch.username is '"
                + user
                + "' but no password: set shopsearch.opensearch.password-file or the environment"
                + " variable "
                + settings.passwordEnv()
                + " (shopsearch.opensearch.password-env)");
      }
    }
    return new Login(user, Secret.of(password, source));
  }
}
