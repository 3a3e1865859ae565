package dev.shopsearch.service.model;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code shopsearch.cache}, bound and validated at startup (a bad value fails the
 * start with a message naming the property and the limit).
 *
 * @param enabled cache query embeddings
 * @param maxSize entries kept
 * @param ttl time after write an entry expires
 */
@Validated
@ConfigurationProperties("shopsearch.cache")
public record CacheProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("10000") @Min(1) @Max(10_000_000) long maxSize,
    @DefaultValue("10m") @NotNull Duration ttl) {}
