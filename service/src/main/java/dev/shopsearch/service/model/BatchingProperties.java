package dev.shopsearch.service.model;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code shopsearch.batching}, bound and validated at startup (a bad value fails the
 * start with a message naming the property and the limit).
 *
 * @param enabled batch concurrent text encodes (null: on for CUDA, off for CPU)
 * @param maxBatch largest batch
 * @param maxWait how long the first text of a batch waits for company
 * @param queueCapacity texts waiting for a batch at most; a full queue sheds
 */
@Validated
@ConfigurationProperties("shopsearch.batching")
public record BatchingProperties(
    Boolean enabled,
    @DefaultValue("32") @Min(1) @Max(1024) int maxBatch,
    @DefaultValue("1ms") @NotNull Duration maxWait,
    @DefaultValue("256") @Min(1) @Max(100000) int queueCapacity) {}
