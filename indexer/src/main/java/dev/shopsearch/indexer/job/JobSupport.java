package dev.shopsearch.indexer.job;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.indexer.cache.EmbeddingCache;
import dev.shopsearch.indexer.cache.LuceneEmbeddingCache;
import dev.shopsearch.indexer.pipeline.EmbeddingPipeline;
import dev.shopsearch.indexer.pipeline.ImageLoader;
import dev.shopsearch.indexer.pipeline.PipelineSink;
import dev.shopsearch.indexer.pipeline.PipelineStats;
import dev.shopsearch.indexer.report.RejectLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TermQuery;

/** Steps shared by build and update. */
final class JobSupport {
  private JobSupport() {}

  static EmbeddingCache openCache(JobConfig config, BundleManifest bundle) throws IOException {
    if (config.cacheDir() == null) {
      return EmbeddingCache.none();
    }
    return LuceneEmbeddingCache.open(
        config.cacheDir(), LuceneEmbeddingCache.namespace(bundle), bundle.dim());
  }

  /**
   * Runs the embedding pipeline over the catalog into {@code sink} with progress reporting, then
   * commits the embedding cache.
   */
  static void runPipeline(
      JobConfig config,
      Reporting reporting,
      PipelineStats stats,
      RejectLog rejects,
      EmbeddingCache cache,
      ImageLoader loader,
      ImageEncoder encoder,
      TextEncoder text,
      PipelineSink sink)
      throws IOException, InterruptedException {
    try (CatalogReader reader =
            CatalogReader.open(config.catalog(), config.mapping(), config.readerOptions());
        AutoCloseable progress = reporting.start(stats, rejects, estimateRows(config.catalog()))) {
      new EmbeddingPipeline(config.pipeline(), loader, encoder, text, cache, rejects, stats)
          .run(config.limited(reader), sink);
      progress.close();
      cache.commit();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  /** Lines in the catalog (an estimate of its rows for the progress ETA); 0 if unreadable. */
  static long estimateRows(Path catalog) {
    try (BufferedReader r = Files.newBufferedReader(catalog, StandardCharsets.UTF_8)) {
      long n = 0;
      while (r.readLine() != null) {
        n++;
      }
      String name = catalog.getFileName().toString().toLowerCase(Locale.ROOT);
      return name.endsWith(".csv") || name.endsWith(".tsv") ? Math.max(0, n - 1) : n;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long countType(IndexReader reader, String type) throws IOException {
    return new IndexSearcher(reader).count(new TermQuery(new Term(IndexSchema.DOC_TYPE, type)));
  }

  /**
   * Checks a committed generation before it is published: it opens, carries metadata for this
   * generation, holds the expected numbers of products and images, and its vector graph answers a
   * query.
   */
  static void verifyBeforePublish(Generation gen, long products, long images) throws IOException {
    try (OpenIndex open = IndexGenerations.open(gen)) {
      IndexMetadata meta = open.metadata();
      if (meta.generation() != gen.number()) {
        throw new IOException(
            String.format(
                Locale.ROOT, "%s: metadata says generation %d", gen.dir(), meta.generation()));
      }
      long p = countType(open.reader(), IndexSchema.TYPE_PRODUCT);
      long i = countType(open.reader(), IndexSchema.TYPE_IMAGE);
      if (p != products || i != images || p != meta.products() || i != meta.images()) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "%s holds %d products / %d images; expected %d / %d (metadata %d / %d)",
                gen.dir(),
                p,
                i,
                products,
                images,
                meta.products(),
                meta.images()));
      }
      float[] probe = firstVector(open.reader());
      if (probe != null) {
        var hits =
            new IndexSearcher(open.reader())
                .search(new KnnFloatVectorQuery(IndexSchema.VECTOR, probe, 1), 1);
        if (hits.scoreDocs.length == 0) {
          throw new IOException(gen.dir() + ": vector search returned nothing");
        }
      }
    }
  }

  static float[] firstVector(IndexReader reader) throws IOException {
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues v = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (v == null) {
        continue;
      }
      KnnVectorValues.DocIndexIterator it = v.iterator();
      if (it.nextDoc() != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS) {
        return v.vectorValue(it.index()).clone();
      }
    }
    return null;
  }

  static JobResult result(
      String command,
      boolean published,
      long generation,
      String message,
      PipelineStats stats,
      RejectLog rejects,
      long deleted,
      double maxRejectRate,
      long totalProducts,
      long totalImages,
      long startNanos) {
    long rows = stats.productsRead.get() + catalogRejects(rejects);
    double secs = (System.nanoTime() - startNanos) / 1e9;
    return new JobResult(
        command,
        published,
        generation,
        message,
        rows,
        stats.productsWritten.get(),
        stats.productsUnchanged.get(),
        deleted,
        rejects.productRejects(),
        stats.imagesIndexed.get(),
        rejects.imageRejects(),
        stats.imagesEncoded.get(),
        stats.cacheHits.get(),
        stats.duplicateImages.get(),
        rows == 0 ? 0 : rejects.productRejects() / (double) rows,
        maxRejectRate,
        rejects.countsByKind(),
        totalProducts,
        totalImages,
        secs,
        secs > 0 ? stats.imagesIndexed.get() / secs : 0,
        stats.encoderNanos.get() / 1e9,
        stats.prepareNanos.get() / 1e9,
        stats.textsEncoded.get(),
        stats.textCacheHits.get(),
        stats.textEncoderNanos.get() / 1e9);
  }

  static long catalogRejects(RejectLog rejects) {
    long n = 0;
    for (var e : rejects.countsByKind().entrySet()) {
      if (e.getKey().startsWith("catalog:")) {
        n += e.getValue();
      }
    }
    return n;
  }

  /** Fails fast when the image encoder and the bundle manifest disagree on the dimension. */
  static void requireSameDim(
      dev.shopsearch.core.encode.ImageEncoder encoder,
      dev.shopsearch.core.bundle.BundleManifest bundle) {
    if (encoder.dim() != bundle.dim()) {
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "image encoder dim %d differs from bundle %s dim %d",
              encoder.dim(),
              bundle.name(),
              bundle.dim()));
    }
  }
}
