package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.ImageVector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * A seeded catalog of products with 1–3 random unit image vectors each, and the exact (brute force)
 * search over it: a product's score is its best image's cosine, the same definition as the embedded
 * backend's exact block-join search.
 */
final class TestCatalog {
  static final List<String> CATEGORIES =
      List.of("Women / Tops", "Women / Bottoms", "Men / Tops", "Men / Shoes");
  static final List<String> COLOURS = List.of("Red", "Blue", "Green", "Black");
  static final List<String> WORDS = List.of("hoodie", "jacket", "legging", "sneaker", "tee");

  record Entry(Product product, List<ImageVector> images) {}

  final int dim;
  final List<Entry> entries = new ArrayList<>();

  TestCatalog(int products, int dim, long seed) {
    this.dim = dim;
    Random r = new Random(seed);
    for (int i = 0; i < products; i++) {
      String id = String.format("p%04d", i);
      String colour = COLOURS.get(r.nextInt(COLOURS.size()));
      String word = WORDS.get(i % WORDS.size());
      Product p =
          new Product(
              id,
              colour + " " + word + " " + id,
              "A " + colour.toLowerCase() + " " + word + " for everyday wear.",
              List.of(CATEGORIES.get(r.nextInt(CATEGORIES.size()))),
              colour,
              10.0 + r.nextInt(90),
              i % 3 != 0,
              List.of(),
              Map.of("size", List.of(i % 2 == 0 ? "M" : "L")),
              i + 1);
      int n = 1 + r.nextInt(3);
      List<ImageVector> images = new ArrayList<>();
      List<String> refs = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        refs.add("img/" + id + "-" + j + ".jpg");
        images.add(new ImageVector(refs.get(j), j, randomUnit(r, dim)));
      }
      p =
          new Product(
              p.id(),
              p.name(),
              p.description(),
              p.categories(),
              p.colour(),
              p.price(),
              p.inStock(),
              refs,
              p.attributes(),
              p.row());
      entries.add(new Entry(p, images));
    }
  }

  static float[] randomUnit(Random r, int dim) {
    float[] v = new float[dim];
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      v[i] = (float) r.nextGaussian();
      norm += v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dim; i++) {
      v[i] *= inv;
    }
    return v;
  }

  List<ObjectNode> documents() {
    ProductJson json = new ProductJson(dim);
    return entries.stream()
        .map(e -> json.document(e.product(), e.images(), "h-" + e.product().id()))
        .toList();
  }

  record Scored(String productId, double score, String bestImage) {}

  /** The exact top-k among products passing {@code filter}. */
  List<Scored> exact(float[] q, Predicate<Product> filter, int k) {
    List<Scored> all = new ArrayList<>();
    for (Entry e : entries) {
      if (!filter.test(e.product())) {
        continue;
      }
      double best = -2;
      String bestRef = null;
      for (ImageVector img : e.images()) {
        double dot = 0;
        for (int i = 0; i < dim; i++) {
          dot += q[i] * img.vector()[i];
        }
        if (dot > best) {
          best = dot;
          bestRef = img.ref();
        }
      }
      all.add(new Scored(e.product().id(), best, bestRef));
    }
    all.sort(Comparator.comparingDouble(Scored::score).reversed());
    return all.subList(0, Math.min(k, all.size()));
  }
}
