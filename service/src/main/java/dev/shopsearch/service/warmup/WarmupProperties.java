package dev.shopsearch.service.warmup;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code shopsearch.warmup}, bound and validated at startup (a bad value fails the
 * start with a message naming the property and the limit).
 *
 * <p>Before readiness turns UP, the service runs queries through its own query path, then a few
 * over HTTP on loopback, so that the first users do not pay for cold code: tokenizer, text and
 * image towers, kNN, BM25, fusion, stored fields and the web layer, JIT-compiled. Readiness turns
 * UP after {@code maxTime} at the latest.
 *
 * @param enabled run the warm-up (off: readiness as soon as model and index are loaded)
 * @param textQueries text searches, rotating hybrid, vector and lexical mode with and without
 *     filters
 * @param images searches by a synthetic 1080×1350 JPEG photo (decode, preprocess, image tower, kNN)
 * @param httpRounds rounds of real HTTP requests to the API port over loopback (every endpoint kind
 *     once per round: results, a problem detail, JSON body, multipart upload)
 * @param maxTime longest the warm-up may delay readiness
 */
@Validated
@ConfigurationProperties("shopsearch.warmup")
public record WarmupProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("24") @Min(0) @Max(10000) int textQueries,
    @DefaultValue("4") @Min(0) @Max(1000) int images,
    @DefaultValue("3") @Min(0) @Max(1000) int httpRounds,
    @DefaultValue("60s") @NotNull @DurationMin(millis = 1) @DurationMax(minutes = 30)
        Duration maxTime) {}
