package dev.shopsearch.tooling.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shopsearch.tooling.demo.DemoProductPlanner.PlannedProduct;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates the synthetic, offline demo catalog: {@code catalog.jsonl}, {@code images/} and a
 * {@code demo-catalog.json} manifest in one folder. Deterministic: the same {@link
 * DemoCatalogConfig} writes the same bytes, whatever the thread count.
 *
 * <h2>{@code catalog.jsonl}</h2>
 *
 * One JSON object per line with keys {@code id, name, description, categories} (one path, e.g.
 * {@code "Women / Dresses"}), {@code color, pattern, product_type, gender} ({@code men}, {@code
 * women}, {@code unisex}), {@code price, images} (paths relative to the catalog file), {@code
 * caption_en} ({@code "red floral dress"}), {@code caption_zh} ({@code "红色碎花连衣裙"}) and {@code
 * split} ({@code train} or {@code heldout}; see {@link ComboPlan} for how held-out combinations are
 * chosen).
 *
 * <h2>{@code demo-catalog.json}</h2>
 *
 * The configuration, counts and the held-out combinations ({@code category, color, pattern}).
 *
 * <p>An existing folder is reused only when it is empty or holds an earlier demo catalog (its
 * manifest); the earlier catalog's images are deleted first.
 */
public final class DemoCatalogGenerator {
  public static final String CATALOG_FILE = "catalog.jsonl";
  public static final String IMAGES_DIR = "images";
  public static final String MANIFEST_FILE = "demo-catalog.json";

  /** Default product count of the demo. */
  public static final int DEFAULT_PRODUCTS = 2000;

  /** Default seed of the demo. */
  public static final long DEFAULT_SEED = 42;

  private static final Logger LOG = LoggerFactory.getLogger(DemoCatalogGenerator.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Receives progress; called from rendering threads, at most once per finished product. */
  @FunctionalInterface
  public interface ProgressListener {
    void onProgress(int done, int total);

    /** A listener that logs every 10 % at INFO. */
    static ProgressListener logging() {
      long start = System.nanoTime();
      return (done, total) -> {
        if (done == total || done % Math.max(1, total / 10) == 0) {
          LOG.info(
              String.format(
                  Locale.ROOT,
                  "demo catalog: %d/%d products (%.1f s)",
                  done,
                  total,
                  (System.nanoTime() - start) / 1e9));
        }
      };
    }
  }

  private DemoCatalogGenerator() {}

  /** Generates {@code products} products with the default options, logging progress. */
  public static DemoCatalog generate(Path outDir, int products, long seed) throws IOException {
    return generate(outDir, DemoCatalogConfig.of(products, seed), ProgressListener.logging());
  }

  /** Generates the catalog described by {@code config} into {@code outDir}. */
  public static DemoCatalog generate(
      Path outDir, DemoCatalogConfig config, ProgressListener progress) throws IOException {
    long start = System.nanoTime();
    Path images = prepare(outDir);
    DemoProductPlanner.Plan plan = DemoProductPlanner.plan(config);
    int written = render(plan.products(), images.getParent(), config, progress);
    List<DemoProduct> products = plan.products().stream().map(PlannedProduct::product).toList();
    Path catalog = outDir.resolve(CATALOG_FILE);
    writeAtomically(catalog, jsonl(products));
    writeAtomically(
        outDir.resolve(MANIFEST_FILE), manifest(config, products, plan.combos(), written));
    return new DemoCatalog(
        catalog,
        products,
        plan.combos().heldOut(),
        written,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static int render(
      List<PlannedProduct> products,
      Path outDir,
      DemoCatalogConfig config,
      ProgressListener progress)
      throws IOException {
    AtomicInteger done = new AtomicInteger();
    AtomicInteger images = new AtomicInteger();
    int total = products.size();
    int threads = Math.min(config.threads(), total);
    int chunk = Math.max(1, Math.min(64, total / (threads * 8)));
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService pool =
        Executors.newFixedThreadPool(threads, DemoCatalogGenerator::thread)) {
      for (int from = 0; from < total; from += chunk) {
        List<PlannedProduct> slice = products.subList(from, Math.min(total, from + chunk));
        futures.add(
            pool.submit(
                () -> {
                  for (PlannedProduct p : slice) {
                    images.addAndGet(renderOne(p, outDir, config));
                    progress.onProgress(done.incrementAndGet(), total);
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("demo catalog generation interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw new IllegalStateException("demo image rendering failed: " + e.getCause(), e.getCause());
    }
    return images.get();
  }

  private static int renderOne(PlannedProduct planned, Path outDir, DemoCatalogConfig config) {
    DemoProduct product = planned.product();
    for (int v = 0; v < planned.views().size(); v++) {
      ProductImageRenderer.RenderedView view =
          ProductImageRenderer.render(
              product.combo().category(),
              product.combo().colour(),
              planned.style(),
              planned.views().get(v),
              config.imageSize());
      try {
        Files.write(
            outDir.resolve(product.images().get(v)),
            ImageEncoding.encode(view.image(), config.format()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return planned.views().size();
  }

  private static Thread thread(Runnable r) {
    Thread t = new Thread(r, "demo-catalog-render");
    t.setDaemon(true);
    return t;
  }

  /** Creates {@code outDir/images}, refusing a folder that holds anything but a demo catalog. */
  private static Path prepare(Path outDir) throws IOException {
    Files.createDirectories(outDir);
    boolean previous = Files.exists(outDir.resolve(MANIFEST_FILE));
    if (!previous) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(outDir)) {
        if (entries.iterator().hasNext()) {
          throw new IllegalArgumentException(
              "refusing to write a demo catalog into "
                  + outDir
                  + ": the folder is not empty and holds no "
                  + MANIFEST_FILE
                  + " from an earlier demo catalog");
        }
      }
    }
    Path images = outDir.resolve(IMAGES_DIR);
    Files.createDirectories(images);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(images, "demo-*.{png,jpg}")) {
      for (Path p : old) {
        Files.delete(p);
      }
    }
    return images;
  }

  private static String jsonl(List<DemoProduct> products) throws IOException {
    StringBuilder out = new StringBuilder(products.size() * 600);
    for (DemoProduct p : products) {
      out.append(JSON.writeValueAsString(p.toJson())).append('\n');
    }
    return out.toString();
  }

  private static String manifest(
      DemoCatalogConfig config, List<DemoProduct> products, ComboPlan combos, int images)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generator", "shopsearch demo catalog");
    m.put("format_version", 1);
    m.put("seed", config.seed());
    m.put("products", products.size());
    m.put("heldout_products", products.stream().filter(DemoProduct::heldOut).count());
    m.put("images", images);
    m.put("image_size", config.imageSize());
    m.put("image_format", config.format().extension());
    m.put("max_views", config.maxViews());
    m.put("heldout_fraction", config.heldOutFraction());
    List<Map<String, String>> heldOut = new ArrayList<>();
    for (AttributeCombo c : combos.heldOut()) {
      heldOut.add(
          Map.of(
              "category", c.category().english(),
              "color", c.colour().english(),
              "pattern", c.pattern().english()));
    }
    m.put("heldout_combinations", heldOut);
    return JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
  }

  private static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(text);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A parsed command line: where to write and what. */
  public record Invocation(Path outDir, DemoCatalogConfig config) {}

  /**
   * Parses {@code OUT_DIR [PRODUCTS [SEED]]} (defaults {@value #DEFAULT_PRODUCTS} and {@value
   * #DEFAULT_SEED}).
   *
   * @throws IllegalArgumentException naming the bad argument, with the usage
   */
  public static Invocation parseCommandLine(String... args) {
    String usage = "usage: DemoCatalogGenerator OUT_DIR [PRODUCTS [SEED]]";
    if (args.length < 1 || args.length > 3 || args[0].isBlank()) {
      throw new IllegalArgumentException(
          usage + "; got " + args.length + " argument(s): " + String.join(" ", args));
    }
    int products;
    long seed;
    try {
      products = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_PRODUCTS;
      seed = args.length > 2 ? Long.parseLong(args[2]) : DEFAULT_SEED;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          usage + "; PRODUCTS must be an int and SEED a long: " + e.getMessage(), e);
    }
    return new Invocation(Path.of(args[0]), DemoCatalogConfig.of(products, seed));
  }

  /**
   * Command line: {@code DemoCatalogGenerator OUT_DIR [PRODUCTS [SEED]]}; progress on standard
   * error; exit status 2 on bad arguments.
   */
  public static void main(String[] args) throws IOException {
    Invocation invocation;
    try {
      invocation = parseCommandLine(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    long start = System.nanoTime();
    DemoCatalog catalog =
        generate(
            invocation.outDir(),
            invocation.config(),
            (done, total) -> {
              if (done == total || done % Math.max(1, total / 20) == 0) {
                System.err.printf(
                    Locale.ROOT,
                    "\rdemo catalog: %d/%d products (%.1f s)",
                    done,
                    total,
                    (System.nanoTime() - start) / 1e9);
              }
            });
    System.err.printf(
        Locale.ROOT,
        "%nwrote %s: %d products (%d held out), %d images in %.1f s%n",
        catalog.catalogFile(),
        catalog.products().size(),
        catalog.heldOutProducts(),
        catalog.images(),
        catalog.elapsed().toMillis() / 1000.0);
  }
}
