package dev.shopsearch.trainer;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.catalog.Reject;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.data.ImageStore;
import dev.shopsearch.trainer.data.TextTokenizer;
import dev.shopsearch.trainer.export.ClipBundleExport;
import dev.shopsearch.trainer.hf.HfClipCheckpoint;
import dev.shopsearch.trainer.hf.HfFamily;
import dev.shopsearch.trainer.report.RunReport;
import dev.shopsearch.trainer.train.CheckpointStore;
import dev.shopsearch.trainer.train.ClipTrainer;
import dev.shopsearch.trainer.train.StopSignal;
import dev.shopsearch.trainer.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One fine-tuning run end to end: catalog → examples (split by product or look) → training from the
 * given weights → bundle export with parity check → {@code metrics.json}, plots and {@code
 * report.html}. Output directory layout: {@code bundle/}, {@code checkpoints/}, {@code weights/},
 * {@code metrics.json}, {@code loss.png}, {@code val-recall.png}, {@code report.html}. {@code
 * weights/} is a Hugging Face checkpoint of the trained model's family (an open_clip's as CLIP)
 * with the tokenizer and the image preprocessing it was trained with: {@code fine-tune --from}
 * reads it.
 */
public final class FineTune {

  /**
   * Settings of a run.
   *
   * @param catalog catalog file (JSONL, CSV or TSV)
   * @param mapping field mapping of the catalog
   * @param tokenizerJson Hugging Face tokenizer file
   * @param maxLength caption length limit (≤ the model's context length)
   * @param lowercase lower-case captions (CLIP BPE: true)
   * @param imageSpec image preprocessing (its size must equal the model's)
   * @param captions caption templates
   * @param groupBy attribute that groups products into looks (null: product id)
   * @param valFraction fraction of products (or looks) held out
   * @param freezeLastN train only the last N blocks + projections (negative: train everything)
   * @param train optimisation settings
   * @param out output directory
   * @param resume continue from {@code out/checkpoints}
   * @param name bundle name
   * @param includeWeights also write the weights as a Hugging Face checkpoint in {@code weights/}
   *     (a starting point for later fine-tuning)
   */
  public record Options(
      Path catalog,
      FieldMapping mapping,
      Path tokenizerJson,
      int maxLength,
      boolean lowercase,
      ImageSpec imageSpec,
      CaptionTemplates captions,
      String groupBy,
      double valFraction,
      int freezeLastN,
      ClipTrainer.Config train,
      Path out,
      boolean resume,
      String name,
      boolean includeWeights) {}

  /** The result: the bundle (null when interrupted) and the training loop's outcome. */
  public record Outcome(ModelBundle bundle, TrainingLoop.Outcome result, ExampleSet data) {}

  private FineTune() {}

  /** Reads the catalog; rejected rows are counted by kind and logged (first few), never fatal. */
  public static List<Product> readCatalog(
      Path catalog, FieldMapping mapping, Map<String, Integer> rejects, Consumer<String> log)
      throws IOException {
    List<Product> products = new ArrayList<>();
    try (CatalogReader r = CatalogReader.open(catalog, mapping)) {
      r.products(
              (Reject rej) -> {
                int n = rejects.merge("catalog: " + rej.kind(), 1, Integer::sum);
                if (n <= 3) {
                  log.accept("skipping catalog row " + rej.row() + ": " + rej.reason());
                }
              })
          .forEach(products::add);
    }
    return products;
  }

  /**
   * Runs.
   *
   * @param init starting weights
   * @param stop ends the run when requested (e.g. by a shutdown hook); {@code --resume} continues
   */
  public static Outcome run(Options o, ClipWeights init, Consumer<String> log, StopSignal stop)
      throws IOException {
    return run(o, init, log, stop, null);
  }

  /**
   * Runs with a caller-chosen validation set ({@code validation} selects held-out products; null:
   * the seeded hash split with {@link Options#valFraction()}).
   */
  public static Outcome run(
      Options o,
      ClipWeights init,
      Consumer<String> log,
      StopSignal stop,
      java.util.function.Predicate<Product> validation)
      throws IOException {
    Files.createDirectories(o.out());
    Map<String, Integer> rejects = new LinkedHashMap<>();
    List<Product> products = readCatalog(o.catalog(), o.mapping(), rejects, log);
    Path catalogDir = o.catalog().toAbsolutePath().getParent();
    ExampleSet data =
        validation == null
            ? ExampleSet.build(
                products,
                catalogDir,
                o.captions(),
                o.groupBy(),
                o.valFraction(),
                o.train().loop().seed())
            : ExampleSet.build(
                products, catalogDir, o.captions(), o.groupBy(), (p, g) -> validation.test(p));
    data.rejected().forEach((k, v) -> rejects.merge(k, v, Integer::sum));
    log.accept(
        String.format(
            java.util.Locale.ROOT,
            "catalog: %d products, %d training photos, %d validation photos, skipped %s",
            products.size(),
            data.train().size(),
            data.validation().size(),
            rejects));
    ImageStore store =
        new ImageStore(ImageStore.FILES, (int) Math.ceil(o.imageSpec().size() * 1.15));
    try (NDManager m = NDManager.newBaseManager();
        ClipParameters params = ClipParameters.of(init, m);
        TextTokenizer tok = TextTokenizer.load(o.tokenizerJson(), o.maxLength(), o.lowercase())) {
      if (o.freezeLastN() >= 0) {
        params.freezeAllButLast(o.freezeLastN());
      }
      log.accept(
          String.format(
              java.util.Locale.ROOT,
              "model: %,d parameters, %,d trainable; engine %s %s on %s (GPUs visible: %d)",
              params.count(false),
              params.count(true),
              m.getEngine().getEngineName(),
              m.getEngine().getVersion(),
              m.getDevice(),
              m.getEngine().getGpuCount()));
      ClipTrainer trainer =
          new ClipTrainer(o.train(), params, tok, o.imageSpec(), store, log).listen(stop);
      TrainingLoop.Outcome result =
          trainer.train(data, new CheckpointStore(o.out().resolve("checkpoints")), o.resume());
      if (result.interrupted()) {
        return new Outcome(null, result, data);
      }
      if (store.failures() > 0) {
        rejects.merge("unreadable photo", store.failures(), Integer::sum);
      }
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("training", o.train());
      extra.put("catalog", o.catalog().toString());
      extra.put("captionTemplates", o.captions().templates());
      extra.put("groupBy", o.groupBy());
      extra.put("freezeLastN", o.freezeLastN());
      extra.put("trainPhotos", data.train().size());
      extra.put("validationPhotos", data.validation().size());
      extra.put("skipped", rejects);
      extra.put("stoppedEarly", result.stoppedEarly());
      extra.put("parameters", params.count(false));
      extra.put("trainableParameters", params.count(true));
      Map<String, Object> meta = new LinkedHashMap<>(extra);
      meta.put("metrics", RunReport.metrics(result.state(), result.after(), Map.of()));
      meta.put("family", HfFamily.of(init.config()).modelType());
      Map<String, Object> plainMeta =
          withoutNulls(new ObjectMapper().convertValue(meta, Map.class));
      AtomicReference<String> parity = new AtomicReference<>();
      ModelBundle bundle =
          ClipBundleExport.export(
              o.out().resolve("bundle"),
              params,
              new ClipBundleExport.Options(
                  o.name(),
                  LocalDate.now(ZoneOffset.UTC).toString(),
                  o.tokenizerJson(),
                  new TextSpec("tokenizer.json", o.maxLength(), o.lowercase()),
                  o.imageSpec(),
                  plainMeta),
              line -> {
                parity.set(line);
                log.accept(line);
              });
      extra.put("parity", parity.get());
      if (o.includeWeights()) {
        HfClipCheckpoint.write(o.out().resolve("weights"), params.toWeights(), o.tokenizerJson());
        HfClipCheckpoint.writePreprocessor(o.out().resolve("weights"), o.imageSpec());
        extra.put("weights", o.out().resolve("weights").toString());
      }
      extra.put("bundle", bundle.dir().toString());
      RunReport.write(o.out(), result.state(), result.after(), extra);
      log.accept("bundle: " + bundle.dir() + "  report: " + o.out().resolve(RunReport.HTML));
      return new Outcome(bundle, result, data);
    }
  }

  /** JSON-like maps without null values (the manifest's metadata must not hold nulls). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withoutNulls(Map<?, ?> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> m) {
            out.put(String.valueOf(k), withoutNulls(m));
          } else if (v instanceof List<?> l) {
            out.put(
                String.valueOf(k),
                l.stream()
                    .filter(java.util.Objects::nonNull)
                    .map(x -> x instanceof Map<?, ?> mm ? (Object) withoutNulls(mm) : x)
                    .toList());
          } else if (v != null) {
            out.put(String.valueOf(k), v);
          }
        });
    return out;
  }
}
