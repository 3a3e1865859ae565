package dev.shopsearch.indexer.job;

import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.index.HnswParams;
import dev.shopsearch.core.index.VectorFormat;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of a build or update run.
 *
 * @param catalog catalog file (JSONL, CSV or TSV)
 * @param mapping field mapping of the catalog
 * @param readerOptions catalog reader options (format override, record limit)
 * @param indexRoot the index root holding the generations
 * @param format vector format (build only; an update keeps the format of the index)
 * @param hnsw HNSW parameters (build only)
 * @param pipeline pipeline sizes
 * @param maxRejectRate rejected products / catalog rows above which the run fails and nothing is
 *     published, in [0, 1]
 * @param keepGenerations generations kept after publishing, at least 1
 * @param rejectsFile JSONL file for rejects, or {@code null}
 * @param cacheDir embedding cache directory, or {@code null} for no cache
 * @param forceMerge merge the new generation to one segment before publishing (faster search,
 *     slower build)
 * @param limit index only the first {@code limit} accepted products (smoke runs); 0 = all. With
 *     {@code update}, products past the limit count as removed.
 */
public record JobConfig(
    Path catalog,
    FieldMapping mapping,
    CatalogReader.Options readerOptions,
    Path indexRoot,
    VectorFormat format,
    HnswParams hnsw,
    PipelineConfig pipeline,
    double maxRejectRate,
    int keepGenerations,
    Path rejectsFile,
    Path cacheDir,
    boolean forceMerge,
    long limit) {

  public JobConfig {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(indexRoot, "indexRoot");
    readerOptions = readerOptions == null ? CatalogReader.Options.defaults() : readerOptions;
    format = format == null ? VectorFormat.FLOAT : format;
    hnsw = hnsw == null ? HnswParams.DEFAULT : hnsw;
    pipeline = pipeline == null ? PipelineConfig.defaults() : pipeline;
    if (!(maxRejectRate >= 0 && maxRejectRate <= 1)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "maxRejectRate must be in [0, 1]; maxRejectRate=%s", maxRejectRate));
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0; limit=" + limit);
    }
    if (keepGenerations < 1) {
      throw new IllegalArgumentException(
          "keepGenerations must be >= 1; keepGenerations=" + keepGenerations);
    }
  }

  /** Defaults: float vectors, Lucene HNSW defaults, 5% reject threshold, keep 3 generations. */
  public static JobConfig of(Path catalog, FieldMapping mapping, Path indexRoot) {
    return new JobConfig(
        catalog,
        mapping,
        null,
        indexRoot,
        VectorFormat.FLOAT,
        HnswParams.DEFAULT,
        PipelineConfig.defaults(),
        0.05,
        3,
        null,
        indexRoot.resolve("embedding-cache"),
        false,
        0);
  }

  public JobConfig withPipeline(PipelineConfig p) {
    return new JobConfig(
        catalog,
        mapping,
        readerOptions,
        indexRoot,
        format,
        hnsw,
        p,
        maxRejectRate,
        keepGenerations,
        rejectsFile,
        cacheDir,
        forceMerge,
        limit);
  }

  public JobConfig withFormat(VectorFormat f) {
    return new JobConfig(
        catalog,
        mapping,
        readerOptions,
        indexRoot,
        f,
        hnsw,
        pipeline,
        maxRejectRate,
        keepGenerations,
        rejectsFile,
        cacheDir,
        forceMerge,
        limit);
  }

  public JobConfig withMaxRejectRate(double rate) {
    return new JobConfig(
        catalog,
        mapping,
        readerOptions,
        indexRoot,
        format,
        hnsw,
        pipeline,
        rate,
        keepGenerations,
        rejectsFile,
        cacheDir,
        forceMerge,
        limit);
  }

  public JobConfig withRejectsFile(Path file) {
    return new JobConfig(
        catalog,
        mapping,
        readerOptions,
        indexRoot,
        format,
        hnsw,
        pipeline,
        maxRejectRate,
        keepGenerations,
        file,
        cacheDir,
        forceMerge,
        limit);
  }

  public JobConfig withCacheDir(Path dir) {
    return new JobConfig(
        catalog,
        mapping,
        readerOptions,
        indexRoot,
        format,
        hnsw,
        pipeline,
        maxRejectRate,
        keepGenerations,
        rejectsFile,
        dir,
        forceMerge,
        limit);
  }

  public JobConfig withCatalog(Path file) {
    return new JobConfig(
        file,
        mapping,
        readerOptions,
        indexRoot,
        format,
        hnsw,
        pipeline,
        maxRejectRate,
        keepGenerations,
        rejectsFile,
        cacheDir,
        forceMerge,
        limit);
  }

  public JobConfig withLimit(long n) {
    return new JobConfig(
        catalog,
        mapping,
        readerOptions,
        indexRoot,
        format,
        hnsw,
        pipeline,
        maxRejectRate,
        keepGenerations,
        rejectsFile,
        cacheDir,
        forceMerge,
        n);
  }

  /** The catalog entries, cut after {@link #limit} accepted products when it is set. */
  java.util.Iterator<dev.shopsearch.core.catalog.CatalogEntry> limited(
      java.util.Iterator<dev.shopsearch.core.catalog.CatalogEntry> entries) {
    if (limit == 0) {
      return entries;
    }
    return new java.util.Iterator<>() {
      long products;
      dev.shopsearch.core.catalog.CatalogEntry next;

      @Override
      public boolean hasNext() {
        if (next == null && products < limit && entries.hasNext()) {
          next = entries.next();
          if (next instanceof dev.shopsearch.core.catalog.Product) {
            products++;
          }
        }
        return next != null;
      }

      @Override
      public dev.shopsearch.core.catalog.CatalogEntry next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        var e = next;
        next = null;
        return e;
      }
    };
  }
}
