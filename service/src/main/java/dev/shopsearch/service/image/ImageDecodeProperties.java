package dev.shopsearch.service.image;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code shopsearch.image-decode}, bound and validated at startup (a bad value fails
 * the start with a message naming the property and the limit).
 *
 * <p>Query-image decoding and preprocessing run on their own threads (a bulkhead): never on request
 * threads, never holding a search admission slot, so uploads cannot starve text search of CPU or of
 * slots.
 *
 * @param threads platform threads decoding images (0 = half the cores, at least 1)
 * @param queueCapacity images waiting for a thread at most; beyond that an image is refused at once
 *     (503); one still waiting at its deadline is dropped
 */
@Validated
@ConfigurationProperties("shopsearch.image-decode")
public record ImageDecodeProperties(
    @DefaultValue("0") @Min(0) @Max(256) int threads,
    @DefaultValue("4") @Min(0) @Max(10000) int queueCapacity) {}
