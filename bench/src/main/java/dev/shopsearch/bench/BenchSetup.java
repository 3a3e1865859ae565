package dev.shopsearch.bench;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.TextSpec;
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
import dev.shopsearch.core.text.ClipBpeTokenizerJson;
import dev.shopsearch.tooling.onnx.ClipBundleExporter;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * Prepares the service load benchmark (see docs/benchmarks.md):
 *
 * <pre>
 * BenchSetup bundle --out=/tmp/vitb32 --bpe=../shared/tokenizers/clip/bpe_simple_vocab_16e6.txt.gz
 *     random-weight ViT-B/32 CLIP bundle (real CLIP BPE tokenizer)
 * BenchSetup bundle --out=/tmp/tiny --bpe=... --config=tiny [--dim=512]
 *     the same with a tiny random CLIP (32-d, or --dim; for benchmarks that need a model loaded,
 *     not its speed)
 * BenchSetup index --bundle=/tmp/vitb32 --root=/tmp/bench-index --products=200000 --format=int7
 *     one published generation of synthetic products: clustered unit vectors (one image each),
 *     names/categories/colours from a small vocabulary for BM25 and filters
 * BenchSetup storefront-index --bundle=/tmp/tiny --root=/tmp/store-index --products=1000000 --seed=13
 *     one published generation of a {@link SyntheticCatalog} without images ({@link StorefrontIndex})
 * </pre>
 */
public final class BenchSetup {
  private static final String[] COLOURS = {
    "red", "blue", "green", "black", "white", "grey", "pink", "brown", "navy", "beige"
  };
  private static final String[] TYPES = {
    "dress",
    "shirt",
    "jacket",
    "sneakers",
    "handbag",
    "coat",
    "skirt",
    "boots",
    "scarf",
    "hoodie",
    "jeans",
    "watch"
  };
  private static final String[] MATERIALS = {"cotton", "leather", "denim", "silk", "wool", "linen"};

  private BenchSetup() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: BenchSetup bundle|index|storefront-index --name=value ...");
      System.exit(2);
    }
    Map<String, String> m = flags(args, 1);
    switch (args[0]) {
      case "bundle" -> bundle(m);
      case "index" -> index(m);
      case "storefront-index" -> StorefrontIndex.build(m);
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  /**
   * The {@code --name=value} arguments from {@code args[from]} on, in order.
   *
   * @throws IllegalArgumentException naming an argument of another shape
   */
  static Map<String, String> flags(String[] args, int from) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("arguments are --name=value; got '" + a + "'");
      }
      m.put(a.substring(2, eq), a.substring(eq + 1));
    }
    return m;
  }

  static void bundle(Map<String, String> m) throws IOException {
    Path out = Path.of(required(m, "out"));
    long t0 = System.nanoTime();
    String size = m.getOrDefault("config", "vitb32");
    ClipConfig config =
        switch (size) {
          case "vitb32" -> ClipConfig.vitB32();
          case "tiny" -> tiny(Integer.parseInt(m.getOrDefault("dim", "32")));
          default ->
              throw new IllegalArgumentException(
                  "--config must be one of vitb32, tiny; got '" + size + "'");
        };
    int context = config.text().contextLength();
    String tokenizer = ClipBpeTokenizerJson.fromBpeVocab(Path.of(required(m, "bpe")), context);
    ClipWeights weights = ClipWeights.random(config, Long.parseLong(m.getOrDefault("seed", "1")));
    ModelBundle b =
        ClipBundleExporter.export(
            out,
            config,
            weights,
            tokenizer.getBytes(StandardCharsets.UTF_8),
            "bench-" + size + "-random",
            "1",
            Map.of("purpose", "service load benchmark; random weights"),
            new TextSpec("tokenizer.json", context, true),
            ImageSpec.clip(config.image().imageSize()));
    System.out.printf(
        Locale.ROOT,
        "{\"bundle\":\"%s\",\"dim\":%d,\"hash\":\"%s\",\"seconds\":%.1f}%n",
        b.dir(),
        b.manifest().dim(),
        b.manifest().contentHash(),
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The tiny random CLIP with its projections widened to {@code dim}: a text encode costs well
   * under a millisecond, while the index holds vectors of a real model's size.
   */
  static ClipConfig tiny(int dim) {
    ClipConfig t = ClipConfig.tiny(ClipConfig.vitB32().text().vocabSize());
    return new ClipConfig(t.text(), t.image(), dim, t.activation(), t.layerNormEps());
  }

  static void index(Map<String, String> m) throws Exception {
    ModelBundle bundle = ModelBundle.load(Path.of(required(m, "bundle")));
    Path root = Path.of(required(m, "root"));
    int products = Integer.parseInt(m.getOrDefault("products", "200000"));
    int clusters = Integer.parseInt(m.getOrDefault("clusters", "1000"));
    int threads = Integer.parseInt(m.getOrDefault("threads", "2"));
    VectorFormat format = VectorFormat.fromKey(m.getOrDefault("format", "int7"));
    boolean merge = Boolean.parseBoolean(m.getOrDefault("merge", "true"));
    ClusteredVectors vectors = new ClusteredVectors(bundle.manifest().dim(), clusters);
    EmbeddedBuild b = index(bundle, root, products, vectors, format, threads, merge);
    System.out.printf(
        Locale.ROOT,
        "{\"root\":\"%s\",\"generation\":%d,\"products\":%d,\"format\":\"%s\","
            + "\"buildSeconds\":%.1f,\"mergeSeconds\":%.1f}%n",
        root,
        b.generation(),
        products,
        format.key(),
        b.buildSeconds(),
        b.mergeSeconds());
  }

  /**
   * One published embedded generation.
   *
   * @param generation its number
   * @param dir its directory
   * @param buildSeconds adding the documents (vectors generated on the same threads)
   * @param mergeSeconds the force-merge to one segment and the commit
   */
  record EmbeddedBuild(long generation, Path dir, double buildSeconds, double mergeSeconds) {}

  /**
   * Writes products {@code 0..products-1} of {@code vectors} (one image each) as a new published
   * generation under {@code root}, on {@code threads} threads, force-merged to one segment when
   * {@code merge}.
   */
  static EmbeddedBuild index(
      ModelBundle bundle,
      Path root,
      int products,
      ClusteredVectors vectors,
      VectorFormat format,
      int threads,
      boolean merge)
      throws Exception {
    long t0 = System.nanoTime();
    IndexGenerations gens = new IndexGenerations(root);
    try (IndexGenerations.WriterLock lock = gens.lock()) {
      Generation gen = gens.newGeneration();
      ProductDocuments docs = new ProductDocuments(vectors.dim(), bundle.manifest().similarity());
      EmbeddedBuild result;
      try (FSDirectory dir = FSDirectory.open(gen.dir());
          IndexWriter w = new IndexWriter(dir, writerConfig(format))) {
        addProducts(w, docs, vectors, products, threads);
        long built = System.nanoTime();
        if (merge) {
          w.forceMerge(1);
        }
        IndexMetadata meta =
            IndexMetadata.forBundle(bundle.manifest(), format, HnswParams.DEFAULT, "synthetic")
                .forCommit(gen.number(), products, products, "synthetic");
        w.setLiveCommitData(meta.toUserData().entrySet());
        w.commit();
        result =
            new EmbeddedBuild(
                gen.number(), gen.dir(), (built - t0) / 1e9, (System.nanoTime() - built) / 1e9);
      }
      gens.publish(gen);
      return result;
    }
  }

  /**
   * The writer configuration of the synthetic indexes: the format's codec, Lucene's HNSW defaults.
   */
  static IndexWriterConfig writerConfig(VectorFormat format) {
    IndexWriterConfig cfg = new IndexWriterConfig(LexicalAnalysis.indexing());
    cfg.setCodec(IndexCodecs.codec(format, HnswParams.DEFAULT));
    cfg.setRAMBufferSizeMB(512);
    return cfg;
  }

  /**
   * Adds products {@code 0 .. products-1}, product {@code i} with one image whose vector is {@code
   * vectors.vector(i)}, from {@code threads} threads.
   */
  static void addProducts(
      IndexWriter w, ProductDocuments docs, ClusteredVectors vectors, int products, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      int chunk = (products + threads - 1) / threads;
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int from = t * chunk;
        int to = Math.min(products, from + chunk);
        futures.add(
            pool.submit(
                () -> {
                  for (int i = from; i < to; i++) {
                    Product p = product(i, vectors.cluster(i));
                    w.addDocuments(
                        docs.block(
                            p,
                            List.of(new ImageVector(p.images().get(0), 0, vectors.vector(i))),
                            "b" + i));
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  static Product product(int i, int cluster) {
    String colour = COLOURS[cluster % COLOURS.length];
    String type = TYPES[(cluster / COLOURS.length) % TYPES.length];
    String material = MATERIALS[(i / 7) % MATERIALS.length];
    String name = colour + " " + material + " " + type;
    return new Product(
        "b" + i,
        name,
        "A " + name + ", synthetic product " + i + " of cluster " + cluster,
        List.of((i % 2 == 0 ? "Women / " : "Men / ") + type),
        colour,
        5.0 + (i % 500),
        i % 10 != 0,
        List.of("https://img.example.invalid/" + i + ".jpg"),
        Map.of(),
        i + 1L);
  }

  static String required(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("--" + key + " is required");
    }
    return v;
  }
}
