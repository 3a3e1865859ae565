package dev.shopsearch.service.testing;

import dev.shopsearch.service.image.ImageDecodeProperties;
import dev.shopsearch.service.image.ImageWorkers;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.overload.OverloadProperties;
import dev.shopsearch.service.overload.ShedRefusalHold;
import dev.shopsearch.service.search.SearchProperties;
import dev.shopsearch.service.web.CorsProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Beans that an MVC slice test ({@code @WebMvcTest}) needs beyond the controller under test: the
 * settings records that controllers and the web layer take, and for the servlet filters the image
 * bulkhead (the upload gate asks it) and the metrics (it counts refusals); shed searches are held
 * on {@link RecordedPauses}, never slept.
 */
@TestConfiguration
@EnableConfigurationProperties({
  SearchProperties.class,
  OverloadProperties.class,
  CorsProperties.class,
  ImageDecodeProperties.class
})
public class WebSliceBeans {

  @Bean(destroyMethod = "close")
  ImageWorkers imageWorkers(ImageDecodeProperties settings) {
    return new ImageWorkers(settings);
  }

  /** The holds of shed searches, recorded instead of slept. */
  @Bean
  RecordedPauses recordedPauses() {
    return new RecordedPauses();
  }

  @Bean
  ShedRefusalHold shedRefusalHold(OverloadProperties overload, RecordedPauses pauses) {
    return new ShedRefusalHold(overload, pauses);
  }

  @Bean
  SearchMetrics searchMetrics() {
    return new SearchMetrics(new SimpleMeterRegistry());
  }
}
