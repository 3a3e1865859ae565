package dev.shopsearch.service.testing;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.image.ImageWorkers;
import dev.shopsearch.service.metrics.SearchMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Beans that the servlet filters of an MVC slice test ({@code @WebMvcTest}) need: the upload gate
 * asks the image bulkhead and counts its refusals.
 */
@TestConfiguration
public class WebSliceBeans {

  @Bean(destroyMethod = "close")
  ImageWorkers imageWorkers(ServiceProperties properties) {
    return new ImageWorkers(properties.imageDecode());
  }

  @Bean
  SearchMetrics searchMetrics() {
    return new SearchMetrics(new SimpleMeterRegistry());
  }
}
