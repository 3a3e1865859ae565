package dev.shopsearch.service.index;

import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.ModelHolder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The served index generations ({@code shopsearch.index}): refuses a generation built with another
 * model than the loaded one.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IndexProperties.class)
class IndexConfiguration {

  @Bean
  IndexManager indexManager(IndexProperties settings, ModelHolder models, SearchMetrics metrics) {
    return IndexManager.create(settings, () -> models.current().manifest(), metrics);
  }
}
