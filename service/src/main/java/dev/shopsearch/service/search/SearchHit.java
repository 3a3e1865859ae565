package dev.shopsearch.service.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * One product in a result page.
 *
 * @param id product id
 * @param name display name
 * @param price price or null
 * @param imageUrl the product's first image, as a URL the browser can load
 * @param matchedImage the image whose vector matched best (null for hits without an image match)
 * @param score fused score (hybrid: weighted RRF or normalised-score sum, see the response's {@code
 *     fusion}), vector similarity score (vector) or BM25 (lexical)
 * @param vectorRank 1-based rank in the image kNN list, or null
 * @param lexicalRank 1-based rank in the BM25 list, or null
 * @param semanticRank 1-based rank in the semantic list (kNN over the products' text vectors), or
 *     null
 */
public record SearchHit(
    String id,
    String name,
    Double price,
    String imageUrl,
    String matchedImage,
    double score,
    Integer vectorRank,
    Integer lexicalRank,
    Integer semanticRank) {

  /** A hit of the image and BM25 lists only. */
  public SearchHit(
      String id,
      String name,
      Double price,
      String imageUrl,
      String matchedImage,
      double score,
      Integer vectorRank,
      Integer lexicalRank) {
    this(id, name, price, imageUrl, matchedImage, score, vectorRank, lexicalRank, null);
  }

  /**
   * The lists this hit came from, in the order {@code image}, {@code lexical}, {@code semantic}:
   * those where it has a rank.
   */
  @JsonProperty("lists")
  public List<String> lists() {
    List<String> out = new ArrayList<>(3);
    if (vectorRank != null) {
      out.add("image");
    }
    if (lexicalRank != null) {
      out.add("lexical");
    }
    if (semanticRank != null) {
      out.add("semantic");
    }
    return out;
  }
}
