package dev.shopsearch.tooling.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link DemoCatalogGenerator} wrote.
 *
 * @param catalogFile the {@code catalog.jsonl} file (image paths in it are relative to its folder)
 * @param products every product, in file order
 * @param heldOut the combinations, ordered by {@link AttributeCombo#key()}, whose products are
 *     marked {@code "split": "heldout"}
 * @param images number of image files written
 * @param elapsed wall time of the run
 */
public record DemoCatalog(
    Path catalogFile,
    List<DemoProduct> products,
    Set<AttributeCombo> heldOut,
    int images,
    Duration elapsed) {

  public DemoCatalog {
    products = List.copyOf(products);
    heldOut = Collections.unmodifiableSet(new LinkedHashSet<>(heldOut));
  }

  /** Number of products in the held-out split. */
  public long heldOutProducts() {
    return products.stream().filter(DemoProduct::heldOut).count();
  }
}
