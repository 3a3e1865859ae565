package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.catalog.CatalogFormat;
import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.FieldLimits;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.ImageSource;
import dev.shopsearch.core.image.DecodeLimits;
import dev.shopsearch.indexer.job.JobConfig;
import dev.shopsearch.indexer.job.Reporting;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by {@code build} and {@code update}. */
final class JobOptions {
  @Option(
      names = "--index",
      required = true,
      paramLabel = "DIR",
      description =
          "Index root (with --backend opensearch: where the embedding cache and rejects go).")
  Path index;

  @Option(
      names = "--catalog",
      required = true,
      paramLabel = "FILE",
      description = "Catalog file (.jsonl, .csv or .tsv).")
  Path catalog;

  @Option(
      names = "--catalog-format",
      paramLabel = "FORMAT",
      description = "Force the catalog format: jsonl, csv or tsv (default: by extension).")
  String catalogFormat;

  @Mixin ImageRootOption images = new ImageRootOption();

  @Mixin BackendOptions backend = new BackendOptions();

  @Option(
      names = "--mapping",
      defaultValue = "auto",
      paramLabel = "PRESET|FILE",
      description =
          "Field mapping: auto (detect from the header/keys), magento-luma, myntra, or a JSON or"
              + " properties mapping file (default: ${DEFAULT-VALUE}).")
  String mapping;

  @Option(
      names = "--field",
      paramLabel = "KEY=FIELD",
      description =
          "Override one mapping entry (repeatable): id, name, description, categories,"
              + " categorySeparator, colour, price, inStock, images, imagePattern, attributes,"
              + " listSeparator, requireImages; lists comma-separated, e.g. --field"
              + " images=main_image,alt_image")
  Map<String, String> fields;

  @Option(
      names = "--max-field-chars",
      paramLabel = "FIELD=N",
      description =
          "Longest value accepted for one product field, in characters (repeatable): id (512),"
              + " name (2048), description (65536), colour (256), category (1024, one path),"
              + " attribute (1024, one value), image (4096, one reference). A longer value"
              + " rejects the row (FIELD_TOO_LONG). id, colour, category and attribute are"
              + " keywords: at most 10922.")
  Map<String, Integer> maxFieldChars;

  @Option(names = "--threads", description = "Fetch/decode/preprocess threads (default: cores).")
  Integer threads;

  @Option(names = "--batch-size", defaultValue = "32", description = "Images per encoder call.")
  int batchSize;

  @Option(
      names = "--queue",
      defaultValue = "32",
      description = "Products buffered between pipeline stages.")
  int queue;

  @Option(
      names = "--max-reject-rate",
      defaultValue = "0.05",
      description =
          "Fail (exit 2, publish nothing) when rejected products / rows exceeds this"
              + " (default: ${DEFAULT-VALUE}).")
  double maxRejectRate;

  @Option(
      names = "--rejects",
      paramLabel = "FILE",
      description = "Rejects JSONL (default: <index>/rejects/<command>-<time>.jsonl).")
  Path rejects;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "Embedding cache directory (default: <index>/embedding-cache).")
  Path cache;

  @Option(names = "--no-cache", description = "Do not read or write the embedding cache.")
  boolean noCache;

  @Option(
      names = "--no-text-vectors",
      description =
          "Do not embed the products' texts (no semantic list for the products written; the"
              + " text tower is not loaded).")
  boolean noTextVectors;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "Index only the first N accepted products (smoke runs); 0 = all.")
  long limit;

  @Option(names = "--keep", defaultValue = "3", description = "Generations to keep.")
  int keep;

  @Option(names = "--force-merge", description = "Merge to one segment before publishing.")
  boolean forceMerge;

  @Option(
      names = "--progress",
      defaultValue = "auto",
      description = "auto (bar on a terminal, else log lines), bar, log or none.")
  String progress;

  @Option(
      names = "--log-every",
      defaultValue = "10",
      description = "Seconds between progress log lines.")
  int logEverySeconds;

  @Option(
      names = "--allow-host",
      paramLabel = "HOST",
      description = "Only fetch image URLs from these hosts (repeatable; .example.com = domain).")
  List<String> allowHosts;

  @Option(
      names = "--allow-private-addresses",
      description = "Allow image URLs resolving to loopback/private addresses (off: SSRF rule).")
  boolean allowPrivate;

  @Option(
      names = "--max-image-bytes",
      defaultValue = "20971520",
      description = "Largest image fetched or read, in bytes.")
  long maxImageBytes;

  @Option(
      names = "--max-image-pixels",
      defaultValue = "40000000",
      description = "Largest image decoded (width x height, read from the header).")
  long maxImagePixels;

  @Option(names = "--http-timeout", defaultValue = "20", description = "HTTP read timeout, s.")
  int httpTimeoutSeconds;

  @Option(names = "--http-attempts", defaultValue = "3", description = "HTTP attempts per image.")
  int httpAttempts;

  FieldMapping fieldMapping() throws IOException {
    FieldMapping base = baseMapping();
    if (fields == null || fields.isEmpty()) {
      return base;
    }
    FieldMapping.Builder b = base.toBuilder();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      String v = e.getValue().trim();
      String[] list = v.isEmpty() ? new String[0] : v.split("\\s*,\\s*");
      switch (e.getKey()) {
        case "id" -> b.id(v);
        case "name" -> b.name(v);
        case "description" -> b.description(v);
        case "categories" -> b.categories(list);
        case "categorySeparator" -> b.categorySeparator(v);
        case "colour", "color" -> b.colour(v);
        case "price" -> b.price(v);
        case "inStock" -> b.inStock(v);
        case "images" -> b.images(list);
        case "imagePattern" -> b.imagePattern(v);
        case "attributes" -> b.attributes(list);
        case "listSeparator" -> b.listSeparator(v);
        case "requireImages" -> b.requireImages(Boolean.parseBoolean(v));
        default ->
            throw new IllegalArgumentException(
                "--field "
                    + e.getKey()
                    + ": unknown mapping key; expected id, name, description, categories,"
                    + " categorySeparator, colour, price, inStock, images, imagePattern,"
                    + " attributes, listSeparator or requireImages");
      }
    }
    return b.build();
  }

  private FieldMapping baseMapping() throws IOException {
    try {
      return FieldMapping.resolve(mapping, catalog);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--mapping: " + e.getMessage(), e);
    }
  }

  FieldLimits fieldLimits() {
    FieldLimits limits = FieldLimits.defaults();
    if (maxFieldChars != null) {
      for (Map.Entry<String, Integer> e : maxFieldChars.entrySet()) {
        try {
          limits = limits.with(e.getKey(), e.getValue());
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException("--max-field-chars: " + ex.getMessage(), ex);
        }
      }
    }
    return limits;
  }

  /** Where the images of {@code catalog} are read: {@code --image-root}, else its directory. */
  ImageSource imageSource(Path catalog) {
    return images.source(catalog, fetchOptions());
  }

  FetchOptions fetchOptions() {
    return FetchOptions.defaults()
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(httpTimeoutSeconds))
        .withRetries(httpAttempts, Duration.ofMillis(250))
        .withMaxBytes(maxImageBytes)
        .withAllowedHosts(allowHosts == null ? Set.of() : Set.copyOf(allowHosts))
        .withAllowPrivateAddresses(allowPrivate);
  }

  DecodeLimits decodeLimits() {
    return new DecodeLimits(maxImageBytes, maxImagePixels);
  }

  Reporting reporting() {
    Duration every = Duration.ofSeconds(Math.max(1, logEverySeconds));
    return switch (progress.toLowerCase(Locale.ROOT)) {
      case "auto" ->
          new Reporting(true, dev.shopsearch.indexer.report.Progress.isTerminal(), every);
      case "bar" -> new Reporting(true, true, every);
      case "log" -> new Reporting(true, false, every);
      case "none" -> Reporting.none();
      default ->
          throw new IllegalArgumentException(
              "--progress must be auto, bar, log or none; got '" + progress + "'");
    };
  }

  JobConfig config(String command) throws IOException {
    PipelineConfig pipeline =
        new PipelineConfig(
            threads == null ? Runtime.getRuntime().availableProcessors() : threads,
            batchSize,
            queue,
            PipelineConfig.defaults().batchWaitMillis());
    CatalogReader.Options readerOptions = CatalogReader.Options.defaults();
    if (catalogFormat != null) {
      readerOptions = readerOptions.withFormat(CatalogFormat.parse(catalogFormat));
    }
    readerOptions = readerOptions.withFieldLimits(fieldLimits());
    Path rejectsFile = rejects;
    if (rejectsFile == null) {
      String stamp =
          DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
              .withZone(ZoneOffset.UTC)
              .format(Instant.now());
      rejectsFile = index.resolve("rejects").resolve(command + "-" + stamp + ".jsonl");
    }
    Path cacheDir = noCache ? null : (cache != null ? cache : index.resolve("embedding-cache"));
    return JobConfig.builder(catalog, fieldMapping(), index)
        .readerOptions(readerOptions)
        .pipeline(pipeline)
        .maxRejectRate(maxRejectRate)
        .keepGenerations(keep)
        .rejectsFile(rejectsFile)
        .cacheDir(cacheDir)
        .forceMerge(forceMerge)
        .limit(limit)
        .build();
  }
}
