package dev.shopsearch.service.web;

import dev.shopsearch.service.config.ServiceProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** CORS for {@code /v1/**} from {@code shopsearch.cors.allowed-origins} (none by default). */
@Configuration(proxyBeanMethods = false)
class CorsConfiguration implements WebMvcConfigurer {
  private final ServiceProperties properties;

  CorsConfiguration(ServiceProperties properties) {
    this.properties = properties;
  }

  @Override
  public void addCorsMappings(CorsRegistry registry) {
    if (properties.cors().allowedOrigins().isEmpty()) {
      return;
    }
    registry
        .addMapping("/v1/**")
        .allowedOrigins(properties.cors().allowedOrigins().toArray(String[]::new))
        .allowedMethods("GET", "POST")
        .exposedHeaders(RequestIdFilter.HEADER, "Retry-After")
        .maxAge(3600);
  }
}
