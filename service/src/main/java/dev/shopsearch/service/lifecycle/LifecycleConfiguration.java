package dev.shopsearch.service.lifecycle;

import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.index.IndexProperties;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.BundleModelLoader;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.model.ModelProperties;
import dev.shopsearch.service.warmup.Warmup;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Start-up in the background: model, index, then the warm-up. */
@Configuration(proxyBeanMethods = false)
class LifecycleConfiguration {

  @Bean
  ServingLifecycle servingLifecycle(
      ModelProperties model,
      IndexProperties indexSettings,
      ObjectProvider<ModelLoader> loaders,
      ModelHolder models,
      IndexManager index,
      SearchBackend backend,
      SearchMetrics metrics,
      Warmup warmup) {
    // A ModelLoader bean (tests, other model sources) replaces the bundle loader.
    ModelLoader loader = loaders.getIfAvailable(BundleModelLoader::new);
    return new ServingLifecycle(
        model, indexSettings, loader, models, index, metrics, warmup, backend::ready);
  }
}
