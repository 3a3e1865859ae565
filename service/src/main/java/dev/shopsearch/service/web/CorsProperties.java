package dev.shopsearch.service.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code shopsearch.cors}, bound and validated at startup (a bad value fails the
 * start with a message naming the property and the limit).
 *
 * @param allowedOrigins origins allowed to call {@code /v1/**}; empty = no CORS
 */
@Validated
@ConfigurationProperties("shopsearch.cors")
public record CorsProperties(@DefaultValue({}) List<String> allowedOrigins) {}
