package dev.shopsearch.service.image;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
 */
@Validated
@ConfigurationProperties("shopsearch.upload-rate")
public record UploadRateProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("5") @DecimalMin("0.001") @DecimalMax("1000000") double perSecond,
    @DefaultValue("20") @Min(1) @Max(1_000_000) int burst,
    @DefaultValue("100000") @Min(1) @Max(10_000_000) int maxClients) {}
