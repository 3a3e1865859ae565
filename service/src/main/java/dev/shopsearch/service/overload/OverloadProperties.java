package dev.shopsearch.service.overload;

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
 * Settings under {@code shopsearch.overload}, bound and validated at startup (a bad value fails the
 * start with a message naming the property and the limit).
 *
 * @param deadline default per-request deadline; {@code X-Request-Deadline-Ms} may only tighten it
 * @param maxInFlight searches admitted at once; the rest are answered at once (never queued)
 * @param maxEncodeConcurrency encoder calls running at once (batches count as one)
 * @param onOverload {@code shed}: 503 + Retry-After; {@code lexical}: lexical-only results with
 *     {@code degraded: true}
 * @param maxDegradedInFlight lexical-only fallbacks running at once (beyond that: 503)
 * @param retryAfter value of the Retry-After header on 503
 * @param searchThreads platform threads running the Lucene part of searches (0 = cores)
 * @param estimateWindow how long a measured encode or search duration counts for the shedding
 *     estimate; after a load change the estimate follows within this window
 * @param holdRefusals answer a shed search (503 {@code reason} {@code deadline}, {@code
 *     in_flight_limit}, {@code encode_queue_full}) no earlier than its deadline, on a sleeping
 *     virtual thread that holds no permit or worker, so that a client that resends at once cannot
 *     resend faster than its own budget ({@link ShedRefusalHold})
 * @param maxHeldRefusals shed searches held at once; beyond, they are answered at once
 */
@Validated
@ConfigurationProperties("shopsearch.overload")
public record OverloadProperties(
    @DefaultValue("100ms") @NotNull Duration deadline,
    @DefaultValue("32") @Min(1) @Max(10000) int maxInFlight,
    @DefaultValue("2") @Min(1) @Max(256) int maxEncodeConcurrency,
    @DefaultValue("shed") @NotNull OverloadPolicy onOverload,
    @DefaultValue("16") @Min(1) @Max(10000) int maxDegradedInFlight,
    @DefaultValue("1s") @NotNull Duration retryAfter,
    @DefaultValue("0") @Min(0) @Max(1024) int searchThreads,
    @DefaultValue("2s") @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 10)
        Duration estimateWindow,
    @DefaultValue("true") boolean holdRefusals,
    @DefaultValue("1000") @Min(0) @Max(100_000) int maxHeldRefusals) {}
