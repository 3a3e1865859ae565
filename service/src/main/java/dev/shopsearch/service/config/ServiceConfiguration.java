package dev.shopsearch.service.config;

import dev.shopsearch.service.facets.FacetsProperties;
import dev.shopsearch.service.image.ImageQueryService;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.index.ServingLifecycle;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.BundleModelLoader;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.AdmissionControl;
import dev.shopsearch.service.overload.NanoClock;
import dev.shopsearch.service.search.SearchExecutor;
import dev.shopsearch.service.search.SearchService;
import dev.shopsearch.service.warmup.ApiPort;
import dev.shopsearch.service.warmup.Warmup;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the serving beans from {@link ServiceProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ServiceProperties.class, FacetsProperties.class})
class ServiceConfiguration {

  /**
   * Multipart limits follow {@code shopsearch.upload.max-bytes} (larger uploads: 413). Parts stay
   * in memory: the image controller reads every accepted upload into memory anyway, so spilling it
   * to a temporary file first would only add a disk write and read to each upload.
   */
  @Bean
  MultipartConfigElement multipartConfigElement(ServiceProperties properties) {
    long max = properties.upload().maxBytes();
    return new MultipartConfigElement("", max, max + 64 * 1024, (int) max);
  }

  @Bean
  IndexManager indexManager(
      ServiceProperties properties, ModelHolder models, SearchMetrics metrics) {
    return IndexManager.create(properties, () -> models.current().manifest(), metrics);
  }

  @Bean
  ServingLifecycle servingLifecycle(
      ServiceProperties properties,
      ObjectProvider<ModelLoader> loaders,
      ModelHolder models,
      IndexManager index,
      SearchMetrics metrics,
      Warmup warmup) {
    // A ModelLoader bean (tests, other model sources) replaces the bundle loader.
    ModelLoader loader = loaders.getIfAvailable(BundleModelLoader::new);
    return new ServingLifecycle(properties, loader, models, index, metrics, warmup);
  }

  @Bean
  Warmup warmup(
      ServiceProperties properties,
      SearchService search,
      ImageQueryService images,
      QueryEmbedder embedder,
      SearchExecutor searchers,
      ApiPort api) {
    return new Warmup(properties, search, images, embedder, searchers, api, NanoClock.SYSTEM);
  }

  @Bean
  SearchExecutor searchExecutor(ServiceProperties properties) {
    return new SearchExecutor(properties);
  }

  @Bean
  SearchService searchService(
      ServiceProperties properties,
      ModelHolder models,
      IndexManager index,
      QueryEmbedder embedder,
      AdmissionControl admission,
      SearchExecutor searchers,
      SearchMetrics metrics,
      FacetsProperties facets) {
    return new SearchService(
        properties, models, index, embedder, admission, searchers, metrics, facets);
  }
}
