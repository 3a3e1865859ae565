package dev.shopsearch.service.suggest;

import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.index.IndexProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The per-generation suggesters, watching for new generations as the index manager does. */
@Configuration(proxyBeanMethods = false)
class SuggestConfiguration {

  @Bean
  Suggesters suggesters(SearchBackend backend, IndexProperties settings) {
    return new Suggesters(backend, settings.watchInterval());
  }
}
