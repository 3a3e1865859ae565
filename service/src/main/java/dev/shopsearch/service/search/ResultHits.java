package dev.shopsearch.service.search;

import dev.shopsearch.core.fusion.WeightedFusion;
import dev.shopsearch.core.search.ProductCard;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.RankedProducts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a page of product keys into response hits (cards, matched image, ranks). Stateless. */
final class ResultHits {
  private ResultHits() {}

  /**
   * Loads the display fields of a page of products into hits, each with its rank in every list it
   * is in.
   */
  static List<SearchHit> hits(
      ProductIndexView view,
      List<WeightedFusion.Fused> page,
      RankedProducts vector,
      Map<Integer, Integer> vectorRanks,
      Map<Integer, Integer> lexicalRanks,
      Map<Integer, Integer> semanticRanks)
      throws IOException {
    int[] keys = new int[page.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = page.get(i).key();
    }
    List<ProductCard> cards = view.cards(keys);
    List<SearchHit> hits = new ArrayList<>(page.size());
    for (int i = 0; i < keys.length; i++) {
      WeightedFusion.Fused f = page.get(i);
      ProductCard c = cards.get(i);
      String matched = null;
      Integer image = vector == null ? null : vector.bestImage().get(f.key());
      if (image != null) {
        matched = ImageUrls.toUrl(view.imageRef(image));
      }
      hits.add(
          new SearchHit(
              c.id(),
              c.name(),
              c.price(),
              ImageUrls.toUrl(c.imageRef()),
              matched,
              f.score(),
              vectorRanks.get(f.key()),
              lexicalRanks.get(f.key()),
              semanticRanks.get(f.key())));
    }
    return hits;
  }

  /**
   * 1-based ranks in a list of the products of a page only (one pass over the list, no map of the
   * whole list: a lexical list holds every BM25 match).
   */
  static Map<Integer, Integer> ranks(RankedProducts r, List<WeightedFusion.Fused> page) {
    if (r == null || page.isEmpty()) {
      return Map.of();
    }
    Map<Integer, Integer> m = new HashMap<>();
    for (WeightedFusion.Fused f : page) {
      m.put(f.key(), null);
    }
    int left = m.size();
    for (int i = 0; i < r.keys().length && left > 0; i++) {
      int key = r.keys()[i];
      if (m.containsKey(key) && m.get(key) == null) {
        m.put(key, i + 1);
        left--;
      }
    }
    m.values().removeIf(java.util.Objects::isNull);
    return m;
  }
}
