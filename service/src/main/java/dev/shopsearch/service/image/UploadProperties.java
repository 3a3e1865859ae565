package dev.shopsearch.service.image;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code shopsearch.upload}, bound and validated at startup (a bad value fails the
 * start with a message naming the property and the limit).
 *
 * @param maxBytes largest accepted image, uploaded or fetched (larger: 413)
 * @param maxPixels largest accepted image in pixels (width × height), read from its header before
 *     any decoding (larger: 413)
 * @param allowUrlFetch allow {@code POST /v1/search/image} with an http(s) URL (fetched by the core
 *     {@code ImageSource} with its SSRF rules)
 * @param urlTimeout connect and read timeout of one URL fetch
 * @param allowedHosts when non-empty, the only hosts an image URL may name
 * @param allowPrivateAddresses allow URLs that resolve to loopback/private addresses (tests only)
 */
@Validated
@ConfigurationProperties("shopsearch.upload")
public record UploadProperties(
    @DefaultValue("8388608") @Min(1024) @Max(268435456) long maxBytes,
    @DefaultValue("40000000") @Min(1) @Max(2147483631) long maxPixels,
    @DefaultValue("true") boolean allowUrlFetch,
    @DefaultValue("2s") @NotNull Duration urlTimeout,
    @DefaultValue({}) List<String> allowedHosts,
    @DefaultValue("false") boolean allowPrivateAddresses) {}
