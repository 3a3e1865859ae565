package dev.shopsearch.service.testing;

import dev.shopsearch.service.image.ConsistencyProperties;
import dev.shopsearch.service.image.ImageDecodeProperties;
import dev.shopsearch.service.image.UploadProperties;
import dev.shopsearch.service.index.IndexProperties;
import dev.shopsearch.service.model.BatchingProperties;
import dev.shopsearch.service.model.CacheProperties;
import dev.shopsearch.service.model.ModelProperties;
import dev.shopsearch.service.overload.OverloadProperties;
import dev.shopsearch.service.search.SearchProperties;
import dev.shopsearch.service.warmup.WarmupProperties;
import dev.shopsearch.service.web.CorsProperties;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Binds the service's settings records from a map of {@code shopsearch.*} keys exactly as Spring
 * does (defaults included), each under the prefix its {@link ConfigurationProperties} names.
 */
public final class TestProperties {
  private TestProperties() {}

  /** Every feature's settings, bound from the same keys. */
  public record All(
      ModelProperties model,
      IndexProperties index,
      SearchProperties search,
      OverloadProperties overload,
      CacheProperties cache,
      BatchingProperties batching,
      UploadProperties upload,
      ImageDecodeProperties imageDecode,
      CorsProperties cors,
      ConsistencyProperties consistency,
      WarmupProperties warmup) {}

  /** Every settings record from {@code shopsearch.*} keys. */
  public static All of(Map<String, String> values) {
    return new All(
        bind(values, ModelProperties.class),
        bind(values, IndexProperties.class),
        bind(values, SearchProperties.class),
        bind(values, OverloadProperties.class),
        bind(values, CacheProperties.class),
        bind(values, BatchingProperties.class),
        bind(values, UploadProperties.class),
        bind(values, ImageDecodeProperties.class),
        bind(values, CorsProperties.class),
        bind(values, ConsistencyProperties.class),
        bind(values, WarmupProperties.class));
  }

  /** One settings record, under the prefix of its {@link ConfigurationProperties}. */
  public static <T> T bind(Map<String, String> values, Class<T> type) {
    ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
    if (annotation == null) {
      throw new IllegalArgumentException(type.getName() + " is not a @ConfigurationProperties");
    }
    String prefix = annotation.value().isEmpty() ? annotation.prefix() : annotation.value();
    return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, type);
  }
}
