package dev.shopsearch.service.storefront;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code shopsearch.storefront.*}: how the storefront page shows prices.
 *
 * @param currency ISO 4217 code of the catalog's prices ({@code EUR}, {@code USD}, {@code INR})
 * @param locale BCP 47 tag the page formats prices with ({@code en-IE}, {@code de-DE})
 */
@Validated
@ConfigurationProperties("shopsearch.storefront")
public record StorefrontProperties(
    @DefaultValue("EUR") @NotBlank @Pattern(regexp = "[A-Z]{3}") String currency,
    @DefaultValue("en-IE") @NotBlank @Pattern(regexp = "[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
        String locale) {}
