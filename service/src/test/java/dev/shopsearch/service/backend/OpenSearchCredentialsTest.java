package dev.shopsearch.service.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSearchCredentialsTest {
  private static OpenSearchProperties settings(String user, Path file, String env) {
    return new OpenSearchProperties(
        List.of(URI.create("https://search:9200")),
        "products",
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        user,
        file,
        env,
        null,
        null);
  }

  @Test
  void noUsernameNoCredentials() {
    assertThat(OpenSearchCredentials.resolve(settings(null, null, "PW"), Map.of("PW", "x")::get))
        .isNull();
  }

  @Test
  void thePasswordComesFromTheFileElseTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("password");
    Files.writeString(file, "from-file\n");
    OpenSearchCredentials.Login fromFile =
        OpenSearchCredentials.resolve(
            settings("search", file, "PW"), Map.of("PW", "from-env")::get);
    assertThat(fromFile.username()).isEqualTo("search");
    assertThat(new String(fromFile.password().reveal())).isEqualTo("from-file");
    OpenSearchCredentials.Login fromEnv =
        OpenSearchCredentials.resolve(
            settings("search", null, "PW"), Map.of("PW", "from-env")::get);
    assertThat(new String(fromEnv.password().reveal())).isEqualTo("from-env");
    // the service's connection hides the password wherever it is printed
    assertThat(
            BackendConfiguration.connection(
                    settings("search", null, "PW"), Map.of("PW", "from-env")::get)
                .toString())
        .contains("search")
        .doesNotContain("from-env");
  }

  @Test
  void aMissingPasswordFailsTheStartNamingTheSettingsNeverAValue(@TempDir Path dir)
      throws Exception {
    assertThatThrownBy(
            () ->
                OpenSearchCredentials.resolve(
                    settings("search", null, "PW"), Map.<String, String>of()::get))
        .hasMessageContaining("shopsearch.opensearch.password-file")
        .hasMessageContaining("PW");
    Path missing = dir.resolve("nope");
    assertThatThrownBy(
            () ->
                OpenSearchCredentials.resolve(
                    settings("search", missing, "PW"), Map.of("PW", "secret-env")::get))
        .hasMessageContaining("cannot read shopsearch.opensearch.password-file " + missing)
        .hasMessageNotContaining("secret-env");
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "  \n");
    assertThatThrownBy(
            () ->
                OpenSearchCredentials.resolve(
                    settings("search", empty, "PW"), Map.<String, String>of()::get))
        .hasMessageContaining("is empty");
    Path file = dir.resolve("password");
    Files.writeString(file, "secret-file");
    assertThatThrownBy(
            () ->
                OpenSearchCredentials.resolve(
                    settings(null, file, "PW"), Map.<String, String>of()::get))
        .hasMessageContaining("username is not")
        .hasMessageNotContaining("secret-file");
  }
}
