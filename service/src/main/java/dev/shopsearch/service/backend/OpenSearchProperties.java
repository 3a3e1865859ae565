package dev.shopsearch.service.backend;

import java.net.URI;
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
 */
@ConfigurationProperties("shopsearch.opensearch")
public record OpenSearchProperties(
    List<URI> hosts,
    @DefaultValue("products") String alias,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("10s") Duration requestTimeout) {
  public OpenSearchProperties {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }
}
