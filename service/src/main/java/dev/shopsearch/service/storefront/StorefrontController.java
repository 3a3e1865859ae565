package dev.shopsearch.service.storefront;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/storefront}: the page's display settings ({@link StorefrontProperties}). */
@RestController
class StorefrontController {
  private final StorefrontProperties properties;

  StorefrontController(StorefrontProperties properties) {
    this.properties = properties;
  }

  @Operation(summary = "Storefront display settings: price currency and locale")
  @GetMapping(value = "/v1/storefront", produces = MediaType.APPLICATION_JSON_VALUE)
  StorefrontProperties settings() {
    return properties;
  }

  /** Binds {@code shopsearch.storefront.*}. */
  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(StorefrontProperties.class)
  static class Config {}
}
