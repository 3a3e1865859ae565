package dev.shopsearch.service.backend;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shopsearch.opensearch.*}: how to reach the cluster when {@code
 * shopsearch.backend=opensearch}.
 *
 * @param hosts HTTP endpoints of one or more nodes ({@code http://host:9200}); required for the
 *     OpenSearch backend
 * @param alias the alias the indexer publishes generations under
 * @param connectTimeout TCP connect timeout of every call
 * @param requestTimeout the longest any call may take (a query's own deadline is shorter: it
 *     becomes the search's {@code timeout})
 * @param username basic-auth user for a cluster with the security plugin, or null for none
 * @param passwordFile a file holding the user's password (e.g. a mounted Kubernetes secret;
 *     surrounding whitespace ignored); read once at start, never logged
 * @param passwordEnv the environment variable holding the password when no {@code password-file} is
 *     set
 */
@ConfigurationProperties("shopsearch.opensearch")
public record OpenSearchProperties(
    List<URI> hosts,
    @DefaultValue("products") String alias,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("10s") Duration requestTimeout,
    String username,
    Path passwordFile,
    @DefaultValue("SHOPSEARCH_OPENSEARCH_PASSWORD") String passwordEnv,
    Path trustStore,
    Path trustStorePasswordFile) {
  public OpenSearchProperties {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }
}
