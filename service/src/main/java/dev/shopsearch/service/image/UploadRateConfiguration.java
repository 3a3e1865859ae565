package dev.shopsearch.service.image;

import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.overload.NanoClock;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The per-client rate limit on the image endpoints ({@link UploadRateLimit}), from {@code
 * shopsearch.upload-rate.*}: right after the request-id filter, before {@link UploadGate} and
 * before anything reads the body.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UploadRateProperties.class)
class UploadRateConfiguration {

  @Bean
  FilterRegistrationBean<UploadRateLimit> uploadRateLimit(
      UploadRateProperties limits,
      SearchMetrics metrics,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
    FilterRegistrationBean<UploadRateLimit> registration =
        new FilterRegistrationBean<>(
            new UploadRateLimit(
                limits, NanoClock.SYSTEM, UploadRateLimit.Pause.SLEEP, metrics, errors));
    registration.addUrlPatterns(UploadGate.SEARCH, UploadGate.CONSISTENCY);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
    registration.setEnabled(limits.enabled());
    return registration;
  }
}
