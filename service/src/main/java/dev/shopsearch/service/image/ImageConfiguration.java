package dev.shopsearch.service.image;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.metrics.SearchMetrics;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

/** The query-image bulkhead from {@code shopsearch.image-decode.*} and its {@link UploadGate}. */
@Configuration(proxyBeanMethods = false)
class ImageConfiguration {

  @Bean
  ImageWorkers imageWorkers(ServiceProperties properties) {
    return new ImageWorkers(properties.imageDecode());
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
}
