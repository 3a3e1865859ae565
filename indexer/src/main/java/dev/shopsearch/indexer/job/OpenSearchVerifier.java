package dev.shopsearch.indexer.job;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.GenerationReader;
import dev.shopsearch.opensearch.Generations;
import dev.shopsearch.opensearch.OpenSearchBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link IndexVerifier} for the generation an OpenSearch alias points to: the index's health (red
 * is a problem; yellow, a replica unassigned while every primary serves, is a warning and does not
 * fail the verification), its {@code _meta} read and, with a bundle, checked as the embedded
 * verifier does ({@link IndexMetadata#checkCompatible}), the products and images of {@code _meta}
 * against the index's top-level and nested documents, every product holding an image (the embedded
 * block check's invariant), and the recall@k of the service's kNN ({@link OpenSearchRecall}).
 * CheckIndex and the model re-encoding check are embedded-only: {@link
 * IndexVerifier.Result#checkIndexRan} is false.
 *
 * @param settings queries, k, candidates, minimum recall and seed (its {@code checkIndex} is
 *     ignored)
 */
public record OpenSearchVerifier(IndexVerifier settings) {

  /**
   * Verifies the generation {@code generations}' alias points to.
   *
   * @param bundle the bundle the generation must be compatible with, or null
   * @throws IOException when the alias names no generation
   */
  public IndexVerifier.Result verify(
      EngineClient client, Generations generations, BundleManifest bundle) throws IOException {
    String index =
        generations
            .current()
            .orElseThrow(
                () -> new IOException("no published generation: the alias names no index"));
    long start = System.nanoTime();
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    GenerationReader reader = new GenerationReader(client);
    ProductRecall recallCheck =
        new ProductRecall(settings.queries(), settings.k(), settings.candidates(), settings.seed());
    long products = -1;
    long images = -1;
    double recall = Double.NaN;
    try {
      GenerationReader.Health health = reader.health(index);
      switch (health.status()) {
        case "green" -> {}
        case "yellow" ->
            warnings.add(
                "health of "
                    + index
                    + " is yellow ("
                    + health.unassignedShards()
                    + " shard copies unassigned): every primary serves, a replica is missing;"
                    + " not a failure");
        default ->
            problems.add(
                "health of "
                    + index
                    + " is "
                    + health.status()
                    + " ("
                    + health.unassignedShards()
                    + " shard copies unassigned): some products cannot be searched");
      }
      IndexMetadata meta = generations.metadata(index);
      if (bundle != null) {
        try {
          meta.checkCompatible(bundle);
        } catch (RuntimeException e) {
          problems.add("the bundle does not match " + index + ": " + e.getMessage());
        }
      }
      products = reader.products(index);
      images = reader.images(index);
      if (products != meta.products() || images != meta.images()) {
        problems.add(
            String.format(
                Locale.ROOT,
                "index %s holds %d products / %d images; its _meta says %d / %d",
                index,
                products,
                images,
                meta.products(),
                meta.images()));
      }
      long bare = reader.productsWithoutImages(index);
      if (bare > 0) {
        problems.add(bare + " products of " + index + " hold no image");
      }
      recall =
          images == 0 ? 1 : measure(client, generations, reader, index, meta, images, recallCheck);
      if (recall < settings.minRecall()) {
        problems.add(
            String.format(
                Locale.ROOT,
                "recall@%d %.4f (%d candidates, as the service searches) is below the minimum"
                    + " %.4f",
                settings.k(),
                recall,
                settings.candidates(),
                settings.minRecall()));
      }
    } catch (IOException | RuntimeException e) {
      problems.add("cannot read " + index + ": " + e);
    }
    return new IndexVerifier.Result(
        index,
        problems.isEmpty(),
        problems,
        warnings,
        false,
        true,
        products,
        images,
        settings.queries(),
        settings.k(),
        settings.candidates(),
        recallCheck.window(),
        recall,
        settings.minRecall(),
        0,
        0,
        Double.NaN,
        (System.nanoTime() - start) / 1e9);
  }

  private static double measure(
      EngineClient client,
      Generations generations,
      GenerationReader reader,
      String index,
      IndexMetadata meta,
      long images,
      ProductRecall params)
      throws IOException {
    OpenSearchBackend backend = new OpenSearchBackend(client, generations, m -> {});
    try (ProductIndexView view = backend.acquire()) {
      if (view.generation() != meta.generation()) {
        throw new IOException(
            "the alias moved to generation " + view.generation() + " during the verification");
      }
      return new OpenSearchRecall(params).measure(reader, index, view, images, meta.similarity());
    }
  }
}
