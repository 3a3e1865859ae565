package dev.shopsearch.service.facets;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code shopsearch.facets.*}: what a search's match set is and how its facets are counted.
 *
 * @param minVectorScore the similarity floor of the vector match set: a kNN candidate belongs to
 *     the match set only when its Lucene vector score is at least this ({@code (1 + cosine) / 2}
 *     for cosine and dot-product models, so 0.5 is cosine 0); 0 keeps every candidate
 * @param maxValues most values listed per facet (colour, each attribute, each category level), the
 *     most frequent first; selected values are always listed
 * @param priceRanges ascending bucket bounds of the price facet: {@code [25, 50]} gives {@code <
 *     25}, {@code 25–50}, {@code >= 50} (lower bound inclusive, upper exclusive)
 * @param attributes the attributes counted as facets; empty: every attribute of the served index
 *     with at most {@code maxAttributeValues} distinct values (free-text attributes such as a
 *     caption are left out)
 * @param maxAttributeValues see {@code attributes}
 */
@Validated
@ConfigurationProperties("shopsearch.facets")
public record FacetsProperties(
    @DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double minVectorScore,
    @DefaultValue("20") @Min(1) @Max(1000) int maxValues,
    @DefaultValue({"25", "50", "100", "200"}) @NotNull List<Double> priceRanges,
    @DefaultValue({}) @NotNull List<String> attributes,
    @DefaultValue("50") @Min(1) @Max(100000) int maxAttributeValues) {

  /** The defaults (as bound from no configuration). */
  public static final FacetsProperties DEFAULTS =
      new FacetsProperties(0, 20, List.of(25.0, 50.0, 100.0, 200.0), List.of(), 50);

  public FacetsProperties {
    priceRanges = List.copyOf(priceRanges);
    attributes = List.copyOf(attributes);
    if (priceRanges.size() > 50) {
      throw new IllegalArgumentException(
          "shopsearch.facets.price-ranges: at most 50 bounds; got " + priceRanges.size());
    }
    for (int i = 0; i < priceRanges.size(); i++) {
      double b = priceRanges.get(i);
      if (!(b > 0) || Double.isInfinite(b) || (i > 0 && b <= priceRanges.get(i - 1))) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "shopsearch.facets.price-ranges must be finite, > 0 and strictly ascending; got %s"
                    + " (bound %d)",
                priceRanges,
                i));
      }
    }
  }
}
