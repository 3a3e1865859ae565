package dev.shopsearch.trainer.locked;

import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.data.ExampleSet;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The locked family's three splits (train-locked and bench-locked), by product id: validation
 * ({@code valShare} of products, seed {@code seed}), dev ({@code devShare} of the remaining
 * products, seed {@code seed + 1}) and train. Train examples carry the training templates'
 * captions; dev and validation carry the product name only ({@link #QUERY_TEMPLATE}).
 */
record LockedSplits(
    List<Example> train,
    List<Example> dev,
    List<Example> validation,
    Map<String, Product> products) {

  /** The caption that queries the gallery: the product name alone. */
  static final String QUERY_TEMPLATE = "{name}";

  /**
   * Reads {@code catalog} with {@code mapping}, skipping and counting bad rows, splits it with
   * {@link #of} and prints a one-line summary.
   */
  static LockedSplits read(
      Path catalog,
      FieldMapping mapping,
      List<String> templates,
      double valShare,
      double devShare,
      long seed)
      throws java.io.IOException {
    java.util.concurrent.atomic.AtomicLong rejects = new java.util.concurrent.atomic.AtomicLong();
    List<Product> products;
    try (CatalogReader reader = CatalogReader.open(catalog, mapping)) {
      products = reader.products(r -> rejects.incrementAndGet()).toList();
    }
    LockedSplits s =
        of(products, catalog.toAbsolutePath().getParent(), templates, valShare, devShare, seed);
    System.out.printf(
        java.util.Locale.ROOT,
        "catalog: %d products, %d rejects; train %d, dev %d, validation %d examples%n",
        products.size(),
        rejects.get(),
        s.train().size(),
        s.dev().size(),
        s.validation().size());
    return s;
  }

  static LockedSplits of(
      List<Product> products,
      Path catalogDir,
      List<String> templates,
      double valShare,
      double devShare,
      long seed) {
    CaptionTemplates trainCaptions = new CaptionTemplates(templates);
    CaptionTemplates nameOnly = new CaptionTemplates(List.of(QUERY_TEMPLATE));
    // The split depends only on the product id and the seed, so both builds agree on it.
    ExampleSet named = ExampleSet.build(products, catalogDir, nameOnly, null, valShare, seed);
    ExampleSet captioned =
        ExampleSet.build(products, catalogDir, trainCaptions, null, valShare, seed);
    Set<String> held = new HashSet<>();
    named.validation().forEach(e -> held.add(e.productId()));
    captioned.validation().forEach(e -> held.add(e.productId()));
    List<Product> rest = products.stream().filter(p -> !held.contains(p.id())).toList();
    ExampleSet devNamed = ExampleSet.build(rest, catalogDir, nameOnly, null, devShare, seed + 1);
    ExampleSet devCaptioned =
        ExampleSet.build(rest, catalogDir, trainCaptions, null, devShare, seed + 1);
    Map<String, Product> byId = new HashMap<>();
    products.forEach(p -> byId.put(p.id(), p));
    return new LockedSplits(
        devCaptioned.train(), devNamed.validation(), named.validation(), Map.copyOf(byId));
  }
}
