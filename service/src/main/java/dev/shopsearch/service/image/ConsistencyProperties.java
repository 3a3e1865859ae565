package dev.shopsearch.service.image;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code shopsearch.consistency}, bound and validated at startup (a bad value fails
 * the start with a message naming the property and the limit).
 *
 * @param threshold cosine below which an image and a text are flagged as inconsistent
 */
@Validated
@ConfigurationProperties("shopsearch.consistency")
public record ConsistencyProperties(
    @DefaultValue("0.2") @DecimalMin("-1.0") @DecimalMax("1.0") double threshold) {}
