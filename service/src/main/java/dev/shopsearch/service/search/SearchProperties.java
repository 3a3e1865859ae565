package dev.shopsearch.service.search;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code shopsearch.search}, bound and validated at startup (a bad value fails the
 * start with a message naming the property and the limit).
 *
 * @param defaultK results per page when {@code k} is absent
 * @param maxK largest accepted {@code k}
 * @param maxOffset largest accepted {@code offset}
 * @param maxQueryLength longest accepted query in characters
 * @param numCandidates HNSW candidates per kNN search (at least {@code offset + k})
 * @param rrfK reciprocal-rank-fusion constant (score = sum of 1 / (rrfK + rank))
 * @param defaultMode mode when none is given
 */
@Validated
@ConfigurationProperties("shopsearch.search")
public record SearchProperties(
    @DefaultValue("10") @Min(1) @Max(1000) int defaultK,
    @DefaultValue("100") @Min(1) @Max(1000) int maxK,
    @DefaultValue("1000") @Min(0) @Max(10000) int maxOffset,
    @DefaultValue("256") @Min(1) @Max(4096) int maxQueryLength,
    @DefaultValue("100") @Min(1) @Max(10000) int numCandidates,
    @DefaultValue("60") @Min(1) @Max(1000) int rrfK,
    @DefaultValue("hybrid") @NotNull SearchMode defaultMode) {}
