package dev.shopsearch.service.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** CORS for {@code /v1/**} from {@code shopsearch.cors.allowed-origins} (none by default). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CorsProperties.class)
class CorsConfiguration implements WebMvcConfigurer {
  private final CorsProperties properties;

  CorsConfiguration(CorsProperties properties) {
    this.properties = properties;
  }

  @Override
  public void addCorsMappings(CorsRegistry registry) {
    if (properties.allowedOrigins().isEmpty()) {
      return;
    }
    registry
        .addMapping("/v1/**")
        .allowedOrigins(properties.allowedOrigins().toArray(String[]::new))
        .allowedMethods("GET", "POST")
        .exposedHeaders(RequestIdFilter.HEADER, "Retry-After")
        .maxAge(3600);
  }
}
