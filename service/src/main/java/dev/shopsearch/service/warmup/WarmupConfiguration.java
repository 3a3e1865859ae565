package dev.shopsearch.service.warmup;

import dev.shopsearch.service.image.ImageQueryService;
import dev.shopsearch.service.image.UploadProperties;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.NanoClock;
import dev.shopsearch.service.search.SearchExecutor;
import dev.shopsearch.service.search.SearchService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The warm-up before readiness ({@code shopsearch.warmup}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarmupProperties.class)
class WarmupConfiguration {

  @Bean
  Warmup warmup(
      WarmupProperties settings,
      UploadProperties upload,
      SearchService search,
      ImageQueryService images,
      QueryEmbedder embedder,
      SearchExecutor searchers,
      ApiPort api) {
    return new Warmup(settings, upload, search, images, embedder, searchers, api, NanoClock.SYSTEM);
  }
}
