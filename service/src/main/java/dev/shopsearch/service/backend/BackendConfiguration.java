package dev.shopsearch.service.backend;

import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.opensearch.ClusterSecurity;
import dev.shopsearch.opensearch.ConnectionConfig;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.Generations;
import dev.shopsearch.opensearch.IndexLayout;
import dev.shopsearch.opensearch.OpenSearchBackend;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.search.LuceneBackend;
import java.util.function.UnaryOperator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link SearchBackend} of {@code shopsearch.backend}: the embedded index, or OpenSearch with
 * the model guard (a generation whose {@code _meta} names another model than the loaded bundle is
 * refused, as the embedded index refuses it).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BackendProperties.class, OpenSearchProperties.class})
class BackendConfiguration {

  @Bean
  SearchBackend searchBackend(
      BackendProperties choice,
      OpenSearchProperties opensearch,
      IndexManager index,
      ModelHolder models) {
    return switch (choice.backend()) {
      case LUCENE -> new LuceneBackend(index);
      case OPENSEARCH -> openSearch(opensearch, models);
    };
  }

  /**
   * @throws IllegalArgumentException when no host is configured
   */
  static OpenSearchBackend openSearch(OpenSearchProperties settings, ModelHolder models) {
    if (settings.hosts().isEmpty()) {
      throw new IllegalArgumentException(
          "shopsearch.backend=opensearch needs shopsearch.opensearch.hosts (e.g."
              + " http://opensearch:9200); none is set");
    }
    EngineClient client = connect(settings, System::getenv);
    // Only the alias matters for reading: shards, replicas and retention are the indexer's.
    Generations generations =
        new Generations(client, new IndexLayout(settings.alias(), 1, 0, false, 1));
    return new OpenSearchBackend(
        client, generations, meta -> meta.checkQueryCompatible(models.current().manifest()));
  }

  /**
   * The opensearch module's connection of {@code shopsearch.opensearch.*}: hosts, timeouts and its
   * {@link ClusterSecurity} (basic auth from {@link OpenSearchCredentials}, trust store from {@link
   * OpenSearchTls}); its {@code toString} hides the passwords.
   *
   * @param env reads an environment variable (null when unset)
   * @throws IllegalArgumentException naming the setting that is missing or unreadable
   */
  static ConnectionConfig connection(OpenSearchProperties settings, UnaryOperator<String> env) {
    OpenSearchCredentials.Login login = OpenSearchCredentials.resolve(settings, env);
    ClusterSecurity security =
        new ClusterSecurity(
            login == null ? null : login.username(),
            login == null ? null : login.password(),
            settings.trustStore(),
            OpenSearchTls.trustStorePassword(settings));
    return new ConnectionConfig(
        settings.hosts(), settings.connectTimeout(), settings.requestTimeout(), security);
  }

  /**
   * A client of {@link #connection} ({@link EngineClient#connect}, the one connect path of the
   * indexer and the service).
   *
   * @throws IllegalArgumentException naming {@code shopsearch.opensearch.trust-store} when the
   *     trust store cannot be read (never a password)
   */
  static EngineClient connect(OpenSearchProperties settings, UnaryOperator<String> env) {
    ConnectionConfig config = connection(settings, env);
    try {
      return EngineClient.connect(config);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot open shopsearch.opensearch.trust-store "
              + settings.trustStore()
              + " (PEM, PKCS12 or JKS; password from"
              + " shopsearch.opensearch.trust-store-password-file): "
              + e.getMessage(),
          null);
    }
  }
}
