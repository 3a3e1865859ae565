package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.core.testing.SharedData;
import dev.shopsearch.trainer.TinyCatalog;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.train.LoopConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a tiny synthetic catalog: frozen features (cached), heads trained with the CLIP
 * trainer's loss/optimizer, exported bundle read back by core's encoders.
 */
@org.junit.jupiter.api.Tag("slow")
class LockedTrainerTest {

  @TempDir Path tmp;

  @Test
  void trainsHeadsAndExportsABundleTheEncodersReproduce() throws IOException {
    Path mobilenet = SharedData.require("models/mobilenetv2-12-int8.onnx");
    Path catalog = Files.createDirectories(tmp.resolve("catalog"));
    ExampleSet data =
        ExampleSet.build(
            TinyCatalog.write(catalog, 5),
            catalog,
            new CaptionTemplates(CaptionTemplates.DEFAULTS),
            null,
            0.25,
            11);
    FeatureCache cache = new FeatureCache(tmp.resolve("cache"));
    List<String> log = new ArrayList<>();
    try (FrozenTowers towers = FrozenTowers.load(mobilenet);
        NDManager manager = NDManager.newBaseManager()) {
      LockedTrainer trainer = new LockedTrainer(towers, cache, log::add);
      LockedHeads heads =
          new LockedHeads(new LockedHeads.Config(1280, 384, 32, 0, 0.07, 5), manager);
      LockedTrainer.Result result =
          trainer.train(
              data,
              heads,
              LockedTrainer.Config.plain(
                  new LoopConfig(15, 16, 3e-3, 10, 0.1, 0.0, 1.0, 1, 0, LoopConfig.Keep.LAST)));

      // Every photo and distinct caption was computed once, nothing came from the empty cache.
      long photos = data.train().size() + data.validation().size();
      assertThat(cache.hits()).isZero();
      assertThat(cache.misses()).isGreaterThan(photos);
      assertThat(result.skipped()).isZero();
      assertThat(result.trainExamples()).isEqualTo(data.train().size());

      List<Double> loss = result.epochLoss();
      assertThat(loss.get(loss.size() - 1)).as("loss %s", loss).isLessThan(loss.get(0) * 0.6);
      double r1Before = result.before().i2t1() + result.before().t2i1();
      double r1After = result.after().i2t1() + result.after().t2i1();
      assertThat(r1After).as("%s -> %s", result.before(), result.after()).isGreaterThan(r1Before);

      // A second pass reads everything back from the cache.
      long misses = cache.misses();
      Features again = trainer.extractor().features(data.validation());
      assertThat(cache.misses()).isEqualTo(misses);
      assertThat(cache.hits()).isPositive();
      assertThat(again.size()).isEqualTo(data.validation().size());

      ModelBundle bundle =
          LockedExporter.export(
              tmp.resolve("bundle"), towers, heads, "locked-test", "1", Map.of("r10", 0.5));
      assertThat(bundle.manifest().dim()).isEqualTo(32);
      assertThat(bundle.manifest().image().pooling()).isEqualTo(Pooling.NONE);
      assertThat(bundle.manifest().metadata()).containsEntry("family", "locked-towers");
      bundle.verifyContentHash();

      assertBundleMatchesHeads(bundle, towers, heads, manager, data.validation().get(0), 32);
    }
    System.out.println(String.join("\n", log));
  }

  @Test
  void residualHeadsOverTheColourGridExportExactly() throws IOException {
    Path mobilenet = SharedData.require("models/mobilenetv2-12-int8.onnx");
    Path catalog = Files.createDirectories(tmp.resolve("catalog"));
    ExampleSet data =
        ExampleSet.build(
            TinyCatalog.write(catalog, 2),
            catalog,
            new CaptionTemplates(CaptionTemplates.DEFAULTS),
            null,
            0.5,
            3);
    try (FrozenTowers towers = FrozenTowers.load(mobilenet, 4);
        NDManager manager = NDManager.newBaseManager()) {
      assertThat(towers.imageWidth()).isEqualTo(1280 + 48);
      assertThat(towers.textWidth()).isEqualTo(384);
      LockedHeads heads =
          new LockedHeads(
              new LockedHeads.Config(1280 + 48, 384, 24, 64, 0.07, 8, 0.3, true), manager);
      ModelBundle bundle =
          LockedExporter.export(tmp.resolve("residual"), towers, heads, "r", "1", Map.of());
      assertThat(bundle.manifest().metadata())
          .containsEntry("head", "residual-mlp-64")
          .hasEntrySatisfying("imageTower", v -> assertThat(v.toString()).contains("4x4 colour"));
      Example example =
          data.validation().isEmpty() ? data.train().get(0) : data.validation().get(0);
      assertBundleMatchesHeads(bundle, towers, heads, manager, example, 24);
    }
  }

  /** The bundle's encoders reproduce the DJL heads on one photo and its first caption. */
  private static void assertBundleMatchesHeads(
      ModelBundle bundle,
      FrozenTowers towers,
      LockedHeads heads,
      NDManager manager,
      Example example,
      int dim)
      throws IOException {
    String caption = example.captions().get(0);
    byte[] photo = Files.readAllBytes(Path.of(example.imageRef()));
    float[] wantText =
        LockedTrainer.embed(towers.textFeatures(List.of(caption)), heads, manager, false)[0];
    float[] wantImage =
        LockedTrainer.embed(
            towers.imageFeatures(List.of(towers.pixels(photo))), heads, manager, true)[0];
    ModelBundle loaded = ModelBundle.load(bundle.dir());
    try (TextEncoder text = Encoders.text(loaded, EncoderOptions.cpu());
        ImageEncoder image = Encoders.image(loaded, EncoderOptions.cpu())) {
      float[] gotText = text.encode(caption);
      float[] px = new ImagePreprocessor(loaded.manifest().imageSpec()).preprocess(photo);
      float[] gotImage = image.encode(List.of(px)).get(0);
      for (int i = 0; i < dim; i++) {
        assertThat(gotText[i]).isCloseTo(wantText[i], within(1e-4f));
        assertThat(gotImage[i]).isCloseTo(wantImage[i], within(1e-4f));
      }
    }
  }
}
