package dev.shopsearch.service.index;

import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.ModelHolder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The served index generations ({@code shopsearch.index}): refuses a generation built with another
 * model than the loaded one.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IndexProperties.class)
class IndexConfiguration {

  /**
   * With {@code shopsearch.backend=opensearch} and no {@code shopsearch.index.root}, a manager that
   * serves nothing ({@link IndexManager#unused}); the key is read from the environment because the
   * {@code backend} feature depends on this one, not the other way round.
   */
  @Bean
  IndexManager indexManager(
      IndexProperties settings, ModelHolder models, SearchMetrics metrics, Environment env) {
    if (settings.root() == null
        && "opensearch".equalsIgnoreCase(env.getProperty("shopsearch.backend", "lucene"))) {
      return IndexManager.unused(
          "no embedded index: shopsearch.backend=opensearch and shopsearch.index.root is not set"
              + " (suggestions need an embedded index)",
          metrics);
    }
    return IndexManager.create(settings, () -> models.current().manifest(), metrics);
  }
}
