package dev.shopsearch.service.image;

import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.overload.NanoClock;
import dev.shopsearch.service.overload.Pause;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Image queries: upload limits ({@code shopsearch.upload}), the query-image bulkhead ({@code
 * shopsearch.image-decode}) and its {@link UploadGate}, the consistency check ({@code
 * shopsearch.consistency}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  UploadRateProperties.class,
  UploadProperties.class,
  ImageDecodeProperties.class,
  ConsistencyProperties.class
})
class ImageConfiguration {

  /**
   * Multipart limits follow {@code shopsearch.upload.max-bytes} (larger uploads: 413). Parts stay
   * in memory: the image controller reads every accepted upload into memory anyway, so spilling it
   * to a temporary file first would only add a disk write and read to each upload.
   */
  @Bean
  MultipartConfigElement multipartConfigElement(UploadProperties upload) {
    long max = upload.maxBytes();
    return new MultipartConfigElement("", max, max + 64 * 1024, (int) max);
  }

  @Bean
  ImageWorkers imageWorkers(ImageDecodeProperties settings) {
    return new ImageWorkers(settings);
  }

  /** Right after the request-id filter, before anything reads the body. */
  @Bean
  FilterRegistrationBean<UploadGate> uploadGate(
      ImageWorkers workers,
      SearchMetrics metrics,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
    FilterRegistrationBean<UploadGate> registration =
        new FilterRegistrationBean<>(new UploadGate(workers, metrics, errors));
    registration.addUrlPatterns(UploadGate.SEARCH, UploadGate.CONSISTENCY);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  /**
   * The per-client rate limit on the image endpoints ({@link UploadRateLimit}, {@code
   * shopsearch.upload-rate.*}): right after the request-id filter, before {@link UploadGate} and
   * before anything reads the body.
   */
  @Bean
  FilterRegistrationBean<UploadRateLimit> uploadRateLimit(
      UploadRateProperties limits,
      SearchMetrics metrics,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
    FilterRegistrationBean<UploadRateLimit> registration =
        new FilterRegistrationBean<>(
            new UploadRateLimit(limits, NanoClock.SYSTEM, Pause.SLEEP, metrics, errors));
    registration.addUrlPatterns(UploadGate.SEARCH, UploadGate.CONSISTENCY);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
    registration.setEnabled(limits.enabled());
    return registration;
  }
}
