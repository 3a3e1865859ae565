package dev.shopsearch.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.clip.DjlClip;
import dev.shopsearch.trainer.clip.Objective;
import dev.shopsearch.trainer.clip.ParameterSet;
import dev.shopsearch.trainer.data.Augmenter;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.data.ImageStore;
import dev.shopsearch.trainer.data.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The CLIP family as a {@link TrainingTask} (package-private; {@link ClipTrainer} is the entry
 * point): each epoch shuffles the photos (optionally arranged into same-category blocks, {@link
 * HardNegativeOrder}); a step collates photos with augmentation and token masking ({@link Batch}),
 * runs both towers and the group-masked loss ({@link Objective}: InfoNCE or sigmoid; the sigmoid
 * loss's scale and bias live on the model parameters' manager, or are a SigLIP's own {@code
 * logit_scale} and {@code logit_bias}, which are then not clamped). Not thread-safe.
 */
final class ClipTask implements TrainingTask<Batch> {

  private static final int EVAL_BATCH = 64;

  private final ClipTrainer.Config cfg;
  private final ClipParameters params;
  private final TextTokenizer tokenizer;
  private final ImageSpec imageSpec;
  private final ImageStore store;
  private final DjlClip model;
  private final Objective objective;
  private final ParameterSet trained;
  private final Augmenter augmenter;
  private final List<Example> train;
  private final List<Example> validation;
  private List<Example> order;
  private Random rnd;
  private int batchSize;

  ClipTask(
      ClipTrainer.Config cfg,
      ClipParameters params,
      TextTokenizer tokenizer,
      ImageSpec imageSpec,
      ImageStore store,
      List<Example> train,
      List<Example> validation) {
    this.cfg = cfg;
    this.params = params;
    this.tokenizer = tokenizer;
    this.imageSpec = imageSpec;
    this.store = store;
    this.model = new DjlClip(params);
    this.objective = Objective.forModel(cfg.loss(), params, params.get("logit_scale").getManager());
    this.trained = objective.parameters(params);
    this.augmenter = new Augmenter(imageSpec, cfg.cropMinScale());
    this.train = train;
    this.validation = validation;
  }

  @Override
  public int examples() {
    return train.size();
  }

  @Override
  public ParameterSet parameters() {
    return trained;
  }

  @Override
  public void beginEpoch(int epoch, int batchSize, Random rnd) {
    List<Example> o = new ArrayList<>(train);
    Collections.shuffle(o, rnd);
    if (cfg.hardNegatives() > 0) {
      o = HardNegativeOrder.arrange(o, batchSize, cfg.hardNegatives(), rnd);
    }
    this.order = o;
    this.rnd = rnd;
    this.batchSize = batchSize;
  }

  @Override
  public Batch batch(int step) {
    Batch b =
        Batch.of(
            order.subList(step * batchSize, (step + 1) * batchSize),
            store,
            augmenter,
            tokenizer,
            imageSpec.size(),
            true,
            cfg.tokenMaskProb(),
            rnd);
    return b.n() < 2 ? null : b;
  }

  @Override
  public int rows(Batch batch) {
    return batch.n();
  }

  @Override
  public float forwardBackward(Batch b, NDManager manager) {
    try (NDScope scope = new NDScope();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      scope.suppressNotUsedWarning();
      int s = imageSpec.size();
      NDArray px = manager.create(b.pixels(), new Shape(b.n(), 3, s, s));
      NDArray ids = manager.create(b.ids(), new Shape(b.n(), b.len()));
      NDArray mask = manager.create(b.mask(), new Shape(b.n(), b.len()));
      NDArray img = DjlClip.normalize(model.encodeImage(px));
      NDArray txt = DjlClip.normalize(model.encodeText(ids, mask));
      NDArray loss = objective.loss(img, txt, model.logitScale(), b.groups());
      gc.backward(loss);
      return loss.getFloat();
    }
  }

  @Override
  public void afterUpdate() {
    if (!objective.usesModelScale()) {
      params.clampLogitScale(cfg.maxLogitScale());
    }
  }

  @Override
  public String describe(int step) {
    return "photo " + order.get(step * batchSize).imageRef();
  }

  @Override
  public String status() {
    float scale = params.get("logit_scale").toFloatArray()[0];
    return objective.status(String.format(Locale.ROOT, "temperature %.4f", Math.exp(-scale)));
  }

  /** Validation recall of the current parameters (centre crop, first caption, no masking). */
  @Override
  public Recall evaluate(NDManager manager) {
    List<Example> val = validation;
    if (val.size() < 2) {
      return new Recall(0, 0, 0, 0, 0, 0, val.size());
    }
    List<float[]> img = new ArrayList<>();
    List<float[]> txt = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    Map<String, Integer> gIndex = new HashMap<>();
    for (int i = 0; i < val.size(); i += EVAL_BATCH) {
      List<Example> chunk = val.subList(i, Math.min(val.size(), i + EVAL_BATCH));
      Batch b = Batch.of(chunk, store, augmenter, tokenizer, imageSpec.size(), false, 0, null);
      if (b.n() == 0) {
        continue;
      }
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        int s = imageSpec.size();
        NDArray ie =
            DjlClip.normalize(
                model.encodeImage(manager.create(b.pixels(), new Shape(b.n(), 3, s, s))));
        NDArray te =
            DjlClip.normalize(
                model.encodeText(
                    manager.create(b.ids(), new Shape(b.n(), b.len())),
                    manager.create(b.mask(), new Shape(b.n(), b.len()))));
        split(ie.toFloatArray(), b.n(), img);
        split(te.toFloatArray(), b.n(), txt);
      }
      // group indices of a batch are local; re-key them globally
      int k = 0;
      for (Example e : chunk) {
        if (store.get(e.imageRef()) != null) {
          groups.add(gIndex.computeIfAbsent(e.group(), g -> gIndex.size()));
          k++;
        }
      }
      if (k != b.n()) {
        throw new IllegalStateException("validation batch bookkeeping mismatch");
      }
    }
    return Recall.compute(
        img.toArray(float[][]::new),
        txt.toArray(float[][]::new),
        groups.stream().mapToInt(Integer::intValue).toArray());
  }

  private static void split(float[] flat, int n, List<float[]> out) {
    int d = flat.length / n;
    for (int i = 0; i < n; i++) {
      out.add(Arrays.copyOfRange(flat, i * d, (i + 1) * d));
    }
  }
}
