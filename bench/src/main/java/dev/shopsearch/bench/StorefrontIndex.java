package dev.shopsearch.bench;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.HnswParams;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexCodecs;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.LexicalAnalysis;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.core.index.VectorFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * Publishes one index generation of a {@link SyntheticCatalog} with the core index code ({@link
 * ProductDocuments}: the service's schema, lexical fields, facets' doc values), for the storefront
 * latency benchmark at catalog scale ({@code BenchSetup storefront-index}). Each product has one
 * image vector of the bundle's dimension (a tiny bundle: 32), clustered by leaf category, in a
 * small HNSW graph ({@code --hnsw-m}, {@code --hnsw-beam}, default 8 and 32) so that the build of
 * 1M products stays in minutes on a shared 2-core machine; the benchmark measures the lexical side
 * (see docs/benchmarks.md for why).
 */
final class StorefrontIndex {
  private StorefrontIndex() {}

  /**
   * {@code --bundle} (the model the service will load; only its manifest is read), {@code --root},
   * {@code --products} (default 1,000,000), {@code --seed} (default 13), {@code --threads} (default
   * 2), {@code --merge} (force-merge to one segment, default true).
   */
  static void build(Map<String, String> m) throws Exception {
    ModelBundle bundle = ModelBundle.load(Path.of(BenchSetup.required(m, "bundle")));
    Path root = Path.of(BenchSetup.required(m, "root"));
    int products = Integer.parseInt(m.getOrDefault("products", "1000000"));
    long seed = Long.parseLong(m.getOrDefault("seed", "13"));
    int threads = Integer.parseInt(m.getOrDefault("threads", "2"));
    if (products < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "--products and --threads must be at least 1; got " + products + ", " + threads);
    }
    VectorFormat format = VectorFormat.FLOAT;
    HnswParams hnsw =
        new HnswParams(
            Integer.parseInt(m.getOrDefault("hnsw-m", "8")),
            Integer.parseInt(m.getOrDefault("hnsw-beam", "32")));
    SyntheticCatalog catalog = new SyntheticCatalog(seed);
    long t0 = System.nanoTime();
    IndexGenerations gens = new IndexGenerations(root);
    try (IndexGenerations.WriterLock lock = gens.lock()) {
      Generation gen = gens.newGeneration();
      ProductDocuments docs =
          new ProductDocuments(bundle.manifest().dim(), bundle.manifest().similarity());
      IndexWriterConfig cfg = new IndexWriterConfig(LexicalAnalysis.indexing());
      cfg.setCodec(IndexCodecs.codec(format, hnsw));
      cfg.setRAMBufferSizeMB(256);
      try (FSDirectory dir = FSDirectory.open(gen.dir());
          IndexWriter w = new IndexWriter(dir, cfg)) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          addAll(w, docs, catalog, bundle.manifest().dim(), seed, products, threads, pool);
        } finally {
          pool.shutdownNow(); // also when a slice failed: no thread left to keep the JVM alive
        }
        long built = System.nanoTime();
        if (Boolean.parseBoolean(m.getOrDefault("merge", "true"))) {
          w.forceMerge(1);
        }
        IndexMetadata meta =
            IndexMetadata.forBundle(bundle.manifest(), format, hnsw, "synthetic")
                .forCommit(gen.number(), products, products, "synthetic-storefront-" + seed);
        w.setLiveCommitData(meta.toUserData().entrySet());
        w.commit();
        System.out.printf(
            Locale.ROOT,
            "{\"root\":\"%s\",\"generation\":%d,\"products\":%d,\"seed\":%d,\"leafCategories\":%d,"
                + "\"buildSeconds\":%.1f,\"mergeSeconds\":%.1f}%n",
            root,
            gen.number(),
            products,
            seed,
            catalog.leafCategories(),
            (built - t0) / 1e9,
            (System.nanoTime() - built) / 1e9);
      }
      gens.publish(gen);
    }
  }

  /** Adds products [0, products) in {@code threads} slices; fails with the first slice's error. */
  private static void addAll(
      IndexWriter w,
      ProductDocuments docs,
      SyntheticCatalog catalog,
      int dim,
      long seed,
      int products,
      int threads,
      ExecutorService pool)
      throws Exception {
    int chunk = (products + threads - 1) / threads;
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int from = t * chunk;
      int to = Math.min(products, from + chunk);
      futures.add(
          pool.submit(
              () -> {
                for (int i = from; i < to; i++) {
                  Product p = catalog.product(i);
                  float[] v = vector(p, dim, seed, i);
                  w.addDocuments(
                      docs.block(p, List.of(new ImageVector(p.images().get(0), 0, v)), "s" + i));
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }

  /** A unit vector near its leaf category's centre (deterministic in seed, category and i). */
  static float[] vector(Product p, int dim, long seed, int i) {
    Random centre = new Random(seed ^ p.categories().get(0).hashCode());
    Random noise = new Random(seed * 31 + i);
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) (centre.nextGaussian() + 0.6 * noise.nextGaussian());
    }
    return VectorUtil.l2normalize(v);
  }
}
