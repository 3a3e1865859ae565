package dev.shopsearch.tooling.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Draws every product of a demo catalog (text, price, pattern style and the pose of each view)
 * before anything is rendered, so that rendering can run on any number of threads and still give
 * the same bytes. Each product draws from its own random stream, derived from the seed and its
 * index.
 */
final class DemoProductPlanner {

  /** A product and what its images need. */
  record PlannedProduct(DemoProduct product, PatternStyle style, List<ViewJitter> views) {}

  private DemoProductPlanner() {}

  /** Plans {@code config.products()} products; also returns the held-out combinations. */
  static Plan plan(DemoCatalogConfig config) {
    ComboPlan combos = new ComboPlan(config.seed(), config.heldOutFraction());
    List<AttributeCombo> sequence = combos.sequence(config.products());
    int width = Math.max(5, Integer.toString(config.products()).length());
    List<PlannedProduct> products = new ArrayList<>(sequence.size());
    for (int i = 0; i < sequence.size(); i++) {
      String id = String.format(Locale.ROOT, "demo-%0" + width + "d", i + 1);
      products.add(
          planOne(
              id,
              sequence.get(i),
              combos.heldOut().contains(sequence.get(i)),
              config,
              new SplittableRandom(mix(config.seed(), i))));
    }
    return new Plan(products, combos);
  }

  /** The planned products and the combination plan they came from. */
  record Plan(List<PlannedProduct> products, ComboPlan combos) {}

  private static PlannedProduct planOne(
      String id,
      AttributeCombo combo,
      boolean heldOut,
      DemoCatalogConfig config,
      SplittableRandom rng) {
    List<DemoCategory.Gender> genders = combo.category().genders();
    DemoCategory.Gender gender = genders.get(rng.nextInt(genders.size()));
    double price = price(combo.category(), rng);
    String description = DemoDescriptions.describe(combo, gender, rng);
    PatternStyle style = PatternStyle.draw(combo.pattern(), combo.colour(), rng);
    int viewCount = 1 + rng.nextInt(config.maxViews());
    List<ViewJitter> views = new ArrayList<>(viewCount);
    List<String> images = new ArrayList<>(viewCount);
    for (int v = 1; v <= viewCount; v++) {
      views.add(ViewJitter.draw(rng));
      images.add(
          DemoCatalogGenerator.IMAGES_DIR + "/" + id + "-" + v + "." + config.format().extension());
    }
    DemoProduct product =
        new DemoProduct(
            id,
            combo,
            gender,
            combo.name(),
            description,
            combo.category().path(gender),
            price,
            images,
            heldOut);
    return new PlannedProduct(product, style, views);
  }

  /** A price in the category's range ending in .00, .50, .95 or .99. */
  private static double price(DemoCategory category, SplittableRandom rng) {
    int whole = rng.nextInt(category.minPrice(), category.maxPrice());
    int[] cents = {0, 50, 95, 99};
    return whole + cents[rng.nextInt(cents.length)] / 100.0;
  }

  /** SplitMix64 finaliser of seed and index: independent streams for neighbouring products. */
  static long mix(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
