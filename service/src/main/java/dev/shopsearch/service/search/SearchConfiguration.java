package dev.shopsearch.service.search;

import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.facets.FacetsProperties;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.AdmissionControl;
import dev.shopsearch.service.overload.OverloadProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The query path ({@code shopsearch.search}): admission, search threads, the search service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SearchProperties.class, FacetsProperties.class})
class SearchConfiguration {

  /** The admission permits, reported as the {@code search.inflight} gauge. */
  @Bean
  AdmissionControl admissionControl(OverloadProperties overload, SearchMetrics metrics) {
    AdmissionControl admission = new AdmissionControl(overload);
    metrics.bindInFlight(admission::inFlight);
    return admission;
  }

  @Bean
  SearchExecutor searchExecutor(OverloadProperties overload) {
    return new SearchExecutor(overload);
  }

  @Bean
  SearchService searchService(
      SearchProperties settings,
      OverloadProperties overload,
      ModelHolder models,
      SearchBackend backend,
      QueryEmbedder embedder,
      AdmissionControl admission,
      SearchExecutor searchers,
      SearchMetrics metrics,
      FacetsProperties facets) {
    return new SearchService(
        settings, overload, models, backend, embedder, admission, searchers, metrics, facets);
  }
}
