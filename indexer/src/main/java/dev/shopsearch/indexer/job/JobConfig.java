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
    return builder(catalog, mapping, indexRoot).build();
  }

  /**
   * A builder with the defaults of {@link #of}: float vectors, Lucene HNSW defaults, default
   * pipeline, 5% reject threshold, 3 generations kept, no rejects file, the embedding cache under
   * {@code indexRoot/embedding-cache}, no force-merge, no limit.
   */
  public static Builder builder(Path catalog, FieldMapping mapping, Path indexRoot) {
    return new Builder(catalog, mapping, indexRoot);
  }

  /** A builder holding this configuration, to derive another one. */
  public Builder toBuilder() {
    Builder b = new Builder(catalog, mapping, indexRoot);
    b.readerOptions = readerOptions;
    b.format = format;
    b.hnsw = hnsw;
    b.pipeline = pipeline;
    b.maxRejectRate = maxRejectRate;
    b.keepGenerations = keepGenerations;
    b.rejectsFile = rejectsFile;
    b.cacheDir = cacheDir;
    b.forceMerge = forceMerge;
    b.limit = limit;
    return b;
  }

  /**
   * Builds a {@link JobConfig}; each setter names the component it sets (see the record's
   * parameters). {@link #build()} validates.
   */
  public static final class Builder {
    private Path catalog;
    private final FieldMapping mapping;
    private final Path indexRoot;
    private CatalogReader.Options readerOptions = CatalogReader.Options.defaults();
    private VectorFormat format = VectorFormat.FLOAT;
    private HnswParams hnsw = HnswParams.DEFAULT;
    private PipelineConfig pipeline = PipelineConfig.defaults();
    private double maxRejectRate = 0.05;
    private int keepGenerations = 3;
    private Path rejectsFile;
    private Path cacheDir;
    private boolean forceMerge;
    private long limit;

    private Builder(Path catalog, FieldMapping mapping, Path indexRoot) {
      this.catalog = catalog;
      this.mapping = mapping;
      this.indexRoot = Objects.requireNonNull(indexRoot, "indexRoot");
      this.cacheDir = indexRoot.resolve("embedding-cache");
    }

    public Builder catalog(Path file) {
      this.catalog = file;
      return this;
    }

    public Builder readerOptions(CatalogReader.Options options) {
      this.readerOptions = options;
      return this;
    }

    public Builder format(VectorFormat f) {
      this.format = f;
      return this;
    }

    public Builder hnsw(HnswParams params) {
      this.hnsw = params;
      return this;
    }

    public Builder pipeline(PipelineConfig p) {
      this.pipeline = p;
      return this;
    }

    public Builder maxRejectRate(double rate) {
      this.maxRejectRate = rate;
      return this;
    }

    public Builder keepGenerations(int n) {
      this.keepGenerations = n;
      return this;
    }

    public Builder rejectsFile(Path file) {
      this.rejectsFile = file;
      return this;
    }

    /** The embedding cache directory, or null for no cache. */
    public Builder cacheDir(Path dir) {
      this.cacheDir = dir;
      return this;
    }

    public Builder forceMerge(boolean merge) {
      this.forceMerge = merge;
      return this;
    }

    public Builder limit(long n) {
      this.limit = n;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the value and its limit
     */
    public JobConfig build() {
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
          limit);
    }
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
