package dev.shopsearch.service.overload;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Deadlines, in-flight limits and shedding settings ({@code shopsearch.overload}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OverloadProperties.class)
class OverloadConfiguration {
  /**
   * Shed searches answered at their deadline ({@code hold-refusals}, {@code max-held-refusals}).
   */
  @Bean
  ShedRefusalHold shedRefusalHold(OverloadProperties overload) {
    return new ShedRefusalHold(overload, Pause.SLEEP);
  }
}
