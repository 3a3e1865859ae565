package dev.shopsearch.indexer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ExecutionProvider;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.ImageSource;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.indexer.job.IndexBuilder;
import dev.shopsearch.indexer.job.IndexUpdater;
import dev.shopsearch.indexer.job.JobConfig;
import dev.shopsearch.indexer.job.JobResult;
import dev.shopsearch.indexer.job.Reporting;
import dev.shopsearch.indexer.pipeline.PipelineConfig;
import dev.shopsearch.indexer.pipeline.SourceImageLoader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Full build versus an incremental update after changing {@code --changed-percent} of the images,
 * on a generated catalog of JPEG photos (written to a scratch directory).
 */
@Command(
    name = "incremental",
    mixinStandardHelpOptions = true,
    description = "Full build vs update with 1% of the images changed.")
final class IncrementalBench implements Callable<Integer> {
  @Option(names = "--products", defaultValue = "400")
  int products;

  @Option(names = "--width", defaultValue = "500")
  int width;

  @Option(names = "--height", defaultValue = "620")
  int height;

  @Option(names = "--changed-percent", defaultValue = "1")
  double changedPercent;

  @Option(names = "--bundle", description = "Model bundle (default: a random --random model).")
  Path bundle;

  @Option(names = "--random", defaultValue = "vitb32", description = "vitb32 or tiny.")
  String random;

  @Option(names = "--shared", defaultValue = "../shared")
  Path shared;

  @Option(names = "--threads", defaultValue = "2")
  int threads;

  @Option(names = "--batch-size", defaultValue = "32")
  int batchSize;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    Path scratch = Files.createTempDirectory("shopsearch-bench-incremental");
    ModelBundle b = BenchSupport.bundle(bundle, random, scratch, shared);
    Path cat = scratch.resolve("catalog");
    Files.createDirectories(cat.resolve("images"));
    SplittableRandom rnd = new SplittableRandom(1);
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < products; i++) {
      String ref = "images/p" + i + ".jpg";
      Files.write(cat.resolve(ref), photo(rnd));
      ObjectNode row = JSON.createObjectNode();
      row.put("id", "p" + i);
      row.put("name", "Product " + i);
      row.put("description", "A product");
      row.putArray("categories").add("Men / Tops");
      row.put("price", 10 + i % 50);
      row.putArray("images").add(ref);
      jsonl.append(JSON.writeValueAsString(row)).append('\n');
    }
    Path catalog = cat.resolve("catalog.jsonl");
    Files.writeString(catalog, jsonl, StandardCharsets.UTF_8);
    JobConfig cfg =
        JobConfig.builder(catalog, FieldMapping.magentoLuma(), scratch.resolve("index"))
            .pipeline(new PipelineConfig(threads, batchSize, 32, 20))
            .build();
    ImagePreprocessor pre = new ImagePreprocessor(b.manifest().imageSpec());
    try (ImageEncoder enc =
            Encoders.image(b, new EncoderOptions(ExecutionProvider.CPU, 0, false, 0));
        ImageSource source = ImageSource.forCatalog(catalog, FetchOptions.defaults())) {
      var loader = new SourceImageLoader(source, pre);
      JobResult full = new IndexBuilder(cfg, b.manifest(), loader, enc, Reporting.none()).run();
      int changed = (int) Math.max(1, Math.round(products * changedPercent / 100));
      for (int i = 0; i < changed; i++) {
        Files.write(cat.resolve("images/p" + (i * (products / changed)) + ".jpg"), photo(rnd));
      }
      JobResult inc = new IndexUpdater(cfg, b.manifest(), loader, enc, Reporting.none()).run();
      System.out.printf(
          Locale.ROOT,
          "model %s, %d products of one %dx%d JPEG, %d changed, %d decode threads%n"
              + "| run | seconds | images encoded | products written |%n|---|---|---|---|%n"
              + "| full build (empty cache) | %.2f | %d | %d |%n"
              + "| update, %d changed | %.2f | %d | %d |%n"
              + "| ratio full / update | %.1fx | | |%n",
          b.manifest().name(),
          products,
          width,
          height,
          changed,
          threads,
          full.seconds(),
          full.imagesEncoded(),
          full.productsIndexed(),
          changed,
          inc.seconds(),
          inc.imagesEncoded(),
          inc.productsIndexed(),
          full.seconds() / inc.seconds());
    }
    return 0;
  }

  private byte[] photo(SplittableRandom rnd) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < 12; i++) {
      g.setColor(new Color(rnd.nextInt(0xFFFFFF)));
      g.fillOval(
          rnd.nextInt(width),
          rnd.nextInt(height),
          20 + rnd.nextInt(width / 2),
          20 + rnd.nextInt(height / 2));
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }
}
