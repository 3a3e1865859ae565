package dev.shopsearch.service.backend;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.service.model.ModelHolder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendConfigurationTest {
  @Test
  void theOpenSearchBackendWithoutHostsFailsTheStartNamingTheKey() {
    OpenSearchProperties noHosts =
        new OpenSearchProperties(
            List.of(),
            "products",
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            null,
            null,
            "PW",
            null,
            null);
    assertThatThrownBy(() -> BackendConfiguration.openSearch(noHosts, new ModelHolder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shopsearch.opensearch.hosts")
        .hasMessageContaining("none is set");
  }
}
