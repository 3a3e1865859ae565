package dev.shopsearch.indexer.bench;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.catalog.CatalogEntry;
import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ExecutionProvider;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.ImageSource;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.indexer.job.IndexBuilder;
import dev.shopsearch.indexer.job.JobConfig;
import dev.shopsearch.indexer.job.JobResult;
import dev.shopsearch.indexer.job.Reporting;
import dev.shopsearch.indexer.pipeline.ImageLoader;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import dev.shopsearch.indexer.pipeline.SourceImageLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Pipeline throughput on a real catalog: decode + preprocess images/s on one thread, raw image
 * encoder throughput at the batch size, and the end-to-end build (fetch, decode, encode, index; no
 * cache) in images/s, with the pipeline overhead relative to the raw encoder.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = "Decode img/s per core, raw encoder img/s, end-to-end build img/s.")
final class PipelineBench implements Callable<Integer> {
  @Option(names = "--catalog", required = true, description = "Catalog (e.g. Magento JSONL).")
  Path catalog;

  @Option(names = "--mapping", defaultValue = "auto")
  String mapping;

  @Option(names = "--bundle", description = "Model bundle (default: a random --random model).")
  Path bundle;

  @Option(names = "--random", defaultValue = "vitb32", description = "vitb32 or tiny.")
  String random;

  @Option(names = "--shared", defaultValue = "../shared", description = "Shared data root.")
  Path shared;

  @Option(names = "--images", defaultValue = "64", description = "Images measured.")
  int images;

  @Option(names = "--batch-size", defaultValue = "32")
  int batchSize;

  @Option(names = "--threads", defaultValue = "2", description = "Pipeline decode threads.")
  int threads;

  @Option(names = "--intra-op-threads", defaultValue = "0")
  int intraOpThreads;

  @Option(
      names = "--overhead-products",
      defaultValue = "0",
      description = "Products in the decode-free run (0 = whole catalog, amortises fixed costs).")
  long overheadProducts;

  @Override
  public Integer call() throws Exception {
    Path scratch = Files.createTempDirectory("shopsearch-bench-pipeline");
    ModelBundle b = BenchSupport.bundle(bundle, random, scratch, shared);
    FieldMapping fm =
        mapping.equals("auto")
            ? FieldMapping.detect(catalog)
            : mapping.equals("myntra") ? FieldMapping.myntra() : FieldMapping.magentoLuma();
    ImagePreprocessor pre = new ImagePreprocessor(b.manifest().imageSpec());
    List<byte[]> bytes = new ArrayList<>();
    long products = 0;
    try (ImageSource source = ImageSource.forCatalog(catalog, FetchOptions.defaults());
        CatalogReader reader = CatalogReader.open(catalog, fm)) {
      while (reader.hasNext() && bytes.size() < images) {
        CatalogEntry e = reader.next();
        if (e instanceof Product p) {
          products++;
          for (String ref : p.images()) {
            if (bytes.size() < images) {
              bytes.add(source.fetch(ref).bytes());
            }
          }
        }
      }
    }
    // 1. decode + preprocess, one thread
    List<float[]> pixels = new ArrayList<>();
    pre.preprocess(bytes.get(0)); // warm-up
    long t0 = System.nanoTime();
    for (byte[] img : bytes) {
      pixels.add(pre.preprocess(img));
    }
    double decodePerSec = bytes.size() / ((System.nanoTime() - t0) / 1e9);

    // 2. raw encoder at the batch size
    double rawPerSec;
    try (ImageEncoder enc =
        Encoders.image(b, new EncoderOptions(ExecutionProvider.CPU, 0, false, intraOpThreads))) {
      enc.encode(pixels.subList(0, Math.min(batchSize, pixels.size()))); // warm-up
      long t1 = System.nanoTime();
      int done = 0;
      for (int i = 0; i < pixels.size(); i += batchSize) {
        List<float[]> batch = pixels.subList(i, Math.min(pixels.size(), i + batchSize));
        enc.encode(batch);
        done += batch.size();
      }
      rawPerSec = done / ((System.nanoTime() - t1) / 1e9);

      // 3. end to end, same products, no cache
      JobConfig cfg =
          JobConfig.builder(catalog, fm, scratch.resolve("index"))
              .pipeline(new PipelineConfig(threads, batchSize, 32, 20))
              .cacheDir(null)
              .maxRejectRate(1)
              .limit(products)
              .build();
      JobResult r;
      try (ImageSource source = ImageSource.forCatalog(catalog, FetchOptions.defaults())) {
        var loader = new SourceImageLoader(source, pre);
        r = new IndexBuilder(cfg, b.manifest(), loader, enc, Reporting.none()).run();
      }
      double e2e = r.imagesIndexed() / r.seconds();

      // 4. the same pipeline with decoding taken out (pixels served from memory): what the
      //    queues, batching, hashing and index writing cost on top of the encoder
      List<float[]> decoded = pixels;
      ImageLoader predecoded =
          new ImageLoader() {
            @Override
            public byte[] fetch(String ref) {
              return ref.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public float[] prepare(String ref, byte[] b) {
              return decoded.get(Math.floorMod(ref.hashCode(), decoded.size()));
            }
          };
      JobResult pr =
          new IndexBuilder(
                  cfg.toBuilder().limit(overheadProducts).build(),
                  b.manifest(),
                  predecoded,
                  enc,
                  Reporting.none())
              .run();
      double pipelineOnly = pr.imagesIndexed() / pr.seconds();
      System.out.printf(
          Locale.ROOT,
          "model %s (%d px), %d images, batch %d, %d decode threads, %d cores%n"
              + "| measure | img/s |%n|---|---|%n"
              + "| decode + preprocess, 1 thread | %.1f |%n"
              + "| raw image encoder, batch %d | %.1f |%n"
              + "| end-to-end build (%d images, no cache) | %.1f |%n"
              + "| pipeline overhead vs raw encoder | %.1f%% |%n"
              + "| build with decoding taken out (%d images) | %.1f |%n"
              + "| overhead of queues + batching + indexing vs raw encoder | %.1f%% |%n"
              + "| encoder busy in the decode-free build | %.1f s of %.1f s |%n"
              + "| time inside the encoder during the build | %.1f s of %.1f s |%n",
          b.manifest().name(),
          b.manifest().imageSpec().size(),
          bytes.size(),
          batchSize,
          threads,
          Runtime.getRuntime().availableProcessors(),
          decodePerSec,
          batchSize,
          rawPerSec,
          r.imagesIndexed(),
          e2e,
          100 * (1 - e2e / rawPerSec),
          pr.imagesIndexed(),
          pipelineOnly,
          100 * (1 - pipelineOnly / rawPerSec),
          pr.encoderSeconds(),
          pr.seconds(),
          r.encoderSeconds(),
          r.seconds());
    }
    return 0;
  }
}
