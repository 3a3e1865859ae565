package dev.shopsearch.service.model;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * The model feature's settings: the bundle ({@code shopsearch.model}), the query-embedding cache
 * ({@code shopsearch.cache}) and micro-batching ({@code shopsearch.batching}). {@link ModelHolder}
 * and {@link QueryEmbedder} are components.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  ModelProperties.class,
  CacheProperties.class,
  BatchingProperties.class
})
class ModelConfiguration {}
