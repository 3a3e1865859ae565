package dev.shopsearch.service.image;

import dev.shopsearch.service.config.ServiceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The query-image bulkhead from {@code shopsearch.image-decode.*}. */
@Configuration(proxyBeanMethods = false)
class ImageConfiguration {

  @Bean
  ImageWorkers imageWorkers(ServiceProperties properties) {
    return new ImageWorkers(properties.imageDecode());
  }
}
