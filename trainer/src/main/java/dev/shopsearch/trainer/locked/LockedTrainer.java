package dev.shopsearch.trainer.locked;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.shopsearch.trainer.clip.AdamW;
import dev.shopsearch.trainer.clip.ContrastiveLoss;
import dev.shopsearch.trainer.clip.LrSchedule;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.train.Recall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains the locked-tower family: features of every photo and caption come once from the {@link
 * FrozenTowers} (through the {@link FeatureCache}); only the {@link LockedHeads} and the
 * temperature learn, with the CLIP trainer's {@link ContrastiveLoss} (group-masked symmetric
 * InfoNCE), {@link AdamW} and {@link LrSchedule}, and {@link Recall} on the validation split.
 * Photos that cannot be read or decoded are skipped (counted), never the run. Not thread-safe.
 */
public final class LockedTrainer {

  /**
   * @param epochs passes over the training examples, [1, 10000]
   * @param batchSize examples per step, [2, 65536]
   * @param learningRate peak learning rate, (0, 1)
   * @param warmupSteps linear warmup steps (capped at half the run)
   * @param weightDecay AdamW decoupled weight decay on the head matrices, [0, 1]
   * @param maxGradNorm global gradient-norm clip, 0 for none
   * @param seed shuffling and caption-choice seed
   */
  public record Config(
      int epochs,
      int batchSize,
      double learningRate,
      long warmupSteps,
      double weightDecay,
      double maxGradNorm,
      long seed) {
    public Config {
      if (epochs < 1 || epochs > 10_000) {
        throw new IllegalArgumentException("epochs must be in [1, 10000]; epochs=" + epochs);
      }
      if (batchSize < 2 || batchSize > 65_536) {
        throw new IllegalArgumentException(
            "batchSize must be in [2, 65536]; batchSize=" + batchSize);
      }
      if (!(weightDecay >= 0 && weightDecay <= 1)) {
        throw new IllegalArgumentException(
            "weightDecay must be in [0, 1]; weightDecay=" + weightDecay);
      }
    }

    /** 30 epochs, batch 64, lr 1e-3, 20 warmup steps, decay 0.01, clip 1.0. */
    public static Config defaults(long seed) {
      return new Config(30, 64, 1e-3, 20, 0.01, 1.0, seed);
    }
  }

  /**
   * @param epochLoss mean training loss per epoch
   * @param before validation recall of the initial heads
   * @param after validation recall after training
   * @param trainExamples training examples with usable features
   * @param skipped examples left out (photo unreadable or undecodable)
   */
  public record Result(
      List<Double> epochLoss, Recall before, Recall after, int trainExamples, int skipped) {}

  /** Features of a list of examples, aligned by index. */
  record Features(float[][] image, float[][][] captions, int[] groups, int skipped) {
    int size() {
      return groups.length;
    }
  }

  private static final int IMAGE_CHUNK = 128;

  private final FrozenTowers towers;
  private final FeatureCache cache;
  private final Consumer<String> log;

  public LockedTrainer(FrozenTowers towers, FeatureCache cache, Consumer<String> log) {
    this.towers = towers;
    this.cache = cache;
    this.log = log;
  }

  /** Trains {@code heads} in place on {@code data}. */
  public Result train(ExampleSet data, LockedHeads heads, Config cfg) {
    Features train = features(data.train());
    Features val = features(data.validation());
    if (train.size() < 2) {
      throw new IllegalArgumentException(
          "need at least 2 training examples with usable photos; have " + train.size());
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "features: train %d, validation %d, skipped %d; cache hits %d, computed %d",
            train.size(),
            val.size(),
            train.skipped() + val.skipped(),
            cache.hits(),
            cache.misses()));
    int batch = Math.min(cfg.batchSize(), train.size());
    int stepsPerEpoch = Math.max(1, train.size() / batch);
    long total = (long) stepsPerEpoch * cfg.epochs();
    LrSchedule schedule =
        new LrSchedule(cfg.learningRate(), Math.min(cfg.warmupSteps(), total / 2), total, 0.1);
    Random rnd = new Random(cfg.seed());
    List<Double> losses = new ArrayList<>();
    NDManager manager = NDManager.newBaseManager();
    try (manager;
        AdamW optimizer = new AdamW(manager, 0.9, 0.98, 1e-6, cfg.weightDecay())) {
      Recall before = evaluate(val, heads, manager);
      log.accept("validation before training: " + before);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        order.add(i);
      }
      long step = 0;
      for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
        Collections.shuffle(order, rnd);
        double sum = 0;
        for (int s = 0; s < stepsPerEpoch; s++) {
          List<Integer> rows = order.subList(s * batch, (s + 1) * batch);
          sum += step(train, rows, heads, manager, rnd);
          optimizer.update(heads, schedule.at(step++), cfg.maxGradNorm());
        }
        losses.add(sum / stepsPerEpoch);
        if (epoch == 1 || epoch == cfg.epochs() || epoch % 10 == 0) {
          log.accept(
              String.format(
                  Locale.ROOT,
                  "epoch %d loss %.4f temperature %.4f",
                  epoch,
                  sum / stepsPerEpoch,
                  heads.temperature()));
        }
      }
      Recall after = evaluate(val, heads, manager);
      log.accept("validation after training: " + after);
      return new Result(
          List.copyOf(losses), before, after, train.size(), train.skipped() + val.skipped());
    }
  }

  private static float step(
      Features f, List<Integer> rows, LockedHeads heads, NDManager manager, Random rnd) {
    int b = rows.size();
    int wi = f.image()[0].length;
    int wt = f.captions()[0][0].length;
    float[] img = new float[b * wi];
    float[] txt = new float[b * wt];
    int[] groups = new int[b];
    for (int k = 0; k < b; k++) {
      int i = rows.get(k);
      System.arraycopy(f.image()[i], 0, img, k * wi, wi);
      float[][] variants = f.captions()[i];
      System.arraycopy(variants[rnd.nextInt(variants.length)], 0, txt, k * wt, wt);
      groups[k] = f.groups()[i];
    }
    try (NDScope scope = new NDScope();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      scope.suppressNotUsedWarning();
      NDArray ie = heads.embedImage(manager.create(img, new Shape(b, wi)));
      NDArray te = heads.embedText(manager.create(txt, new Shape(b, wt)));
      NDArray loss = ContrastiveLoss.loss(ie, te, heads.logitScale(), groups);
      gc.backward(loss);
      return loss.getFloat();
    }
  }

  /** Validation recall with the first caption of each example. */
  Recall evaluate(Features f, LockedHeads heads, NDManager manager) {
    if (f.size() < 2) {
      return new Recall(0, 0, 0, 0, 0, 0, f.size());
    }
    float[][] captions = new float[f.size()][];
    for (int i = 0; i < f.size(); i++) {
      captions[i] = f.captions()[i][0];
    }
    return Recall.compute(
        embed(f.image(), heads, manager, true), embed(captions, heads, manager, false), f.groups());
  }

  /** Head outputs for feature rows (no gradient). */
  static float[][] embed(float[][] rows, LockedHeads heads, NDManager manager, boolean image) {
    int n = rows.length;
    int w = rows[0].length;
    float[] flat = new float[n * w];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows[i], 0, flat, i * w, w);
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray x = manager.create(flat, new Shape(n, w));
      NDArray e = (image ? heads.embedImage(x) : heads.embedText(x)).stopGradient();
      int d = (int) e.getShape().get(1);
      float[] out = e.toFloatArray();
      float[][] rowsOut = new float[n][d];
      for (int i = 0; i < n; i++) {
        System.arraycopy(out, i * d, rowsOut[i], 0, d);
      }
      return rowsOut;
    }
  }

  /** Features of every example whose photo is usable; groups are re-indexed from 0. */
  Features features(List<Example> examples) {
    Map<String, float[]> imageByRef = imageFeatures(examples);
    Map<String, Integer> captionIndex = new LinkedHashMap<>();
    for (Example e : examples) {
      e.captions().forEach(c -> captionIndex.putIfAbsent(c, captionIndex.size()));
    }
    List<byte[]> utf8 = new ArrayList<>();
    captionIndex.keySet().forEach(c -> utf8.add(c.getBytes(StandardCharsets.UTF_8)));
    float[][] captionFeatures =
        cache.features(
            towers.textKey(),
            utf8,
            64,
            batch -> {
              List<String> texts = new ArrayList<>();
              batch.forEach(b -> texts.add(new String(b, StandardCharsets.UTF_8)));
              return towers.textFeatures(texts);
            });
    List<float[]> image = new ArrayList<>();
    List<float[][]> captions = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    Map<String, Integer> groupIndex = new HashMap<>();
    int skipped = 0;
    for (Example e : examples) {
      float[] fi = imageByRef.get(e.imageRef());
      if (fi == null) {
        skipped++;
        continue;
      }
      float[][] variants = new float[e.captions().size()][];
      for (int v = 0; v < variants.length; v++) {
        variants[v] = captionFeatures[captionIndex.get(e.captions().get(v))];
      }
      image.add(fi);
      captions.add(variants);
      groups.add(groupIndex.computeIfAbsent(e.group(), g -> groupIndex.size()));
    }
    return new Features(
        image.toArray(float[][]::new),
        captions.toArray(float[][][]::new),
        groups.stream().mapToInt(Integer::intValue).toArray(),
        skipped);
  }

  /** Features by image reference; unreadable or undecodable photos map to nothing. */
  private Map<String, float[]> imageFeatures(List<Example> examples) {
    List<String> refs =
        new ArrayList<>(
            new java.util.LinkedHashSet<>(examples.stream().map(Example::imageRef).toList()));
    Map<String, float[]> out = new HashMap<>();
    for (int from = 0; from < refs.size(); from += IMAGE_CHUNK) {
      List<String> chunk = refs.subList(from, Math.min(refs.size(), from + IMAGE_CHUNK));
      List<String> readable = new ArrayList<>();
      List<byte[]> bytes = new ArrayList<>();
      for (String ref : chunk) {
        try {
          bytes.add(Files.readAllBytes(Path.of(ref)));
          readable.add(ref);
        } catch (IOException | RuntimeException e) {
          log.accept("skipping photo " + ref + ": " + e);
        }
      }
      float[][] features = cache.features(towers.imageKey(), bytes, 32, this::computeImages);
      for (int i = 0; i < readable.size(); i++) {
        if (features[i] != null) {
          out.put(readable.get(i), features[i]);
        }
      }
    }
    return out;
  }

  /** Decodes and runs a batch; an undecodable photo gives a {@code null} row. */
  private float[][] computeImages(List<byte[]> encoded) {
    float[][] out = new float[encoded.size()][];
    List<float[]> pixels = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < encoded.size(); i++) {
      try {
        pixels.add(towers.pixels(encoded.get(i)));
        at.add(i);
      } catch (RuntimeException e) {
        log.accept("skipping undecodable photo: " + e.getMessage());
      }
    }
    if (!pixels.isEmpty()) {
      float[][] f = towers.imageFeatures(pixels);
      for (int k = 0; k < f.length; k++) {
        out[at.get(k)] = f[k];
      }
    }
    return out;
  }
}
