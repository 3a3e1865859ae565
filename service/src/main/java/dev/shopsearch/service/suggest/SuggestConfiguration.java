package dev.shopsearch.service.suggest;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.index.IndexManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The per-generation suggesters, watching for new generations as the index manager does. */
@Configuration(proxyBeanMethods = false)
class SuggestConfiguration {

  @Bean
  Suggesters suggesters(IndexManager index, ServiceProperties properties) {
    return new Suggesters(index, properties.index().watchInterval());
  }
}
