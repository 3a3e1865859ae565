package dev.shopsearch.trainer.data;

import dev.shopsearch.core.catalog.Product;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training and validation examples built from catalog products: one example per product photo,
 * captions from {@link CaptionTemplates}. The split is by product id, or by look when a group
 * attribute is given (a seeded hash), so no photo of a validation product or look is ever trained
 * on. Products without a usable photo or caption are skipped and counted by reason.
 *
 * @param train training examples
 * @param validation validation examples
 * @param rejected skipped products by reason
 */
public record ExampleSet(
    List<Example> train, List<Example> validation, Map<String, Integer> rejected) {

  /** The largest share of products {@link #build} may hold out. */
  public static final double MAX_VAL_FRACTION = 0.9;

  public ExampleSet {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    rejected = Map.copyOf(rejected);
  }

  /** Total number of skipped products. */
  public int rejectedCount() {
    return rejected.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Builds the split.
   *
   * @param products catalog products (already parsed; bad rows were skipped by the reader)
   * @param catalogDir directory that relative image paths resolve against
   * @param captions caption templates
   * @param groupAttribute attribute whose value groups products into looks (null: the product id)
   * @param valFraction fraction of products held out, in [0, 0.9]
   * @param seed split seed
   */
  public static ExampleSet build(
      List<Product> products,
      Path catalogDir,
      CaptionTemplates captions,
      String groupAttribute,
      double valFraction,
      long seed) {
    if (!(valFraction >= 0 && valFraction <= MAX_VAL_FRACTION)) {
      throw new IllegalArgumentException(
          "validation fraction must be in [0, " + MAX_VAL_FRACTION + "]; was " + valFraction);
    }
    return build(
        products,
        catalogDir,
        captions,
        groupAttribute,
        (p, group) -> bucket(group, seed) < valFraction);
  }

  /**
   * Builds a split chosen by the caller ({@code isValidation} gets the product and its group id),
   * e.g. the demo catalog's held-out attribute combinations.
   */
  public static ExampleSet build(
      List<Product> products,
      Path catalogDir,
      CaptionTemplates captions,
      String groupAttribute,
      java.util.function.BiPredicate<Product, String> isValidation) {
    List<Example> train = new ArrayList<>();
    List<Example> val = new ArrayList<>();
    Map<String, Integer> rejected = new LinkedHashMap<>();
    for (Product p : products) {
      List<String> caps = captions.render(p);
      if (caps.isEmpty()) {
        rejected.merge("no caption", 1, Integer::sum);
        continue;
      }
      List<String> refs = new ArrayList<>();
      for (String img : p.images()) {
        if (img == null || img.isBlank()) {
          continue;
        }
        if (img.startsWith("http://") || img.startsWith("https://")) {
          continue; // the trainer reads local photos only
        }
        refs.add(catalogDir.resolve(img).toAbsolutePath().normalize().toString());
      }
      if (refs.isEmpty()) {
        rejected.merge("no local image", 1, Integer::sum);
        continue;
      }
      String group = p.id();
      if (groupAttribute != null) {
        List<String> g = p.attributes().get(groupAttribute);
        if (g != null && !g.isEmpty() && !g.get(0).isBlank()) {
          group = groupAttribute + ":" + g.get(0);
        }
      }
      String category = p.categories().isEmpty() ? "" : p.categories().get(0);
      boolean isVal = isValidation.test(p, group);
      for (String ref : refs) {
        (isVal ? val : train).add(new Example(p.id(), group, caps, ref, category));
      }
    }
    return new ExampleSet(train, val, rejected);
  }

  /** A uniform number in [0, 1) from the product id and seed (stable across runs and JVMs). */
  static double bucket(String productId, long seed) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
      byte[] h = md.digest(productId.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 7; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "ExampleSet[train=%d validation=%d rejected=%s]",
        train.size(),
        validation.size(),
        rejected);
  }
}
