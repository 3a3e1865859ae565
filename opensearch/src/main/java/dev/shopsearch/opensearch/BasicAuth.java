package dev.shopsearch.opensearch;

import java.util.Objects;

/**
 * HTTP basic-auth credentials for a cluster with the security plugin. The password never appears in
 * {@link #toString()} (logs, error messages, actuator output).
 *
 * @param username the user
 * @param password the password
 */
public record BasicAuth(String username, String password) {
  public BasicAuth {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isBlank()) {
      throw new IllegalArgumentException("OpenSearch username must not be blank");
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException(
          "OpenSearch password for user '" + username + "' is empty");
    }
  }

  @Override
  public String toString() {
    return "BasicAuth[username=" + username + ", password=***]";
  }
}
