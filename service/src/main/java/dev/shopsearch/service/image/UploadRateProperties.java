package dev.shopsearch.service.image;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code shopsearch.upload-rate.*}: a token bucket per client (remote address) on the image
 * endpoints ({@code POST /v1/search/image}, {@code POST /v1/consistency}), checked before the
 * request body is read. A client past its rate gets 429 with {@code Retry-After}; its body is never
 * parsed. Behind a reverse proxy, set {@code server.forward-headers-strategy} so that the remote
 * address is the client's, not the proxy's (else every client shares the proxy's bucket).
 *
 * @param enabled check the rate at all
 * @param perSecond image requests a client may make per second, sustained
 * @param burst image requests a client may make at once (the bucket's size)
 * @param maxClients clients tracked at once; beyond, the least recently seen are forgotten (a
 *     forgotten client starts again with a full bucket)
 * @param holdRefusals how long a refusal is held before it is answered (0: at once). A client that
 *     resends as soon as it is answered is thereby paced to one request per hold and connection,
 *     for the price of a parked virtual thread, instead of costing a full HTTP request's CPU (~0.6
 *     ms here) a few hundred times a second
 * @param maxHeld refusals held at once; beyond, they are answered at once
 */
@Validated
@ConfigurationProperties("shopsearch.upload-rate")
public record UploadRateProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("5") @DecimalMin("0.001") @DecimalMax("1000000") double perSecond,
    @DefaultValue("20") @Min(1) @Max(1_000_000) int burst,
    @DefaultValue("100000") @Min(1) @Max(10_000_000) int maxClients,
    @DefaultValue("1s") @NotNull @DurationMax(seconds = 10) Duration holdRefusals,
    @DefaultValue("1000") @Min(0) @Max(100_000) int maxHeld) {}
