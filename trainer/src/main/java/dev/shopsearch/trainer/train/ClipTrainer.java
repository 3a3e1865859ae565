package dev.shopsearch.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.trainer.clip.AdamW;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.clip.ContrastiveLoss;
import dev.shopsearch.trainer.clip.DjlClip;
import dev.shopsearch.trainer.clip.LrSchedule;
import dev.shopsearch.trainer.data.Augmenter;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.data.ImageStore;
import dev.shopsearch.trainer.data.TextTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Trains a {@link DjlClip} model with symmetric InfoNCE on image–caption pairs: seeded shuffling
 * and augmentation per epoch (so a resumed run replays exactly what an uninterrupted one would),
 * AdamW with linear warmup and cosine decay, gradient clipping, the logit scale clamped at {@link
 * TrainConfig#maxLogitScale()}, validation recall before training and after each epoch, early
 * stopping on validation R@10, and a checkpoint after each epoch. At the end the parameters with
 * the best validation R@10 are loaded back. {@link #requestStop()} (e.g. from a shutdown hook) ends
 * the run after the current step without touching the last checkpoint. Not thread-safe.
 */
public final class ClipTrainer {

  private final TrainConfig cfg;
  private final ClipParameters params;
  private final TextTokenizer tokenizer;
  private final ImageSpec imageSpec;
  private final ImageStore store;
  private final Consumer<String> log;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final DjlClip model;
  private final Augmenter augmenter;

  public ClipTrainer(
      TrainConfig cfg,
      ClipParameters params,
      TextTokenizer tokenizer,
      ImageSpec imageSpec,
      ImageStore store,
      Consumer<String> log) {
    if (imageSpec.size() != params.config().image().imageSize()) {
      throw new IllegalArgumentException(
          "image spec size "
              + imageSpec.size()
              + " != model image size "
              + params.config().image().imageSize());
    }
    this.cfg = cfg;
    this.params = params;
    this.tokenizer = tokenizer;
    this.imageSpec = imageSpec;
    this.store = store;
    this.log = log;
    this.model = new DjlClip(params);
    this.augmenter = new Augmenter(imageSpec, cfg.cropMinScale());
  }

  /** Asks the run to stop after the current step (the last checkpoint stays as it is). */
  public void requestStop() {
    stop.set(true);
  }

  /** The outcome of {@link #train}. */
  public record Result(TrainState state, Recall after, boolean stoppedEarly, boolean interrupted) {}

  /**
   * Runs training.
   *
   * @param data the split
   * @param checkpoints where checkpoints go
   * @param resume continue from {@link CheckpointStore#LAST} when present
   */
  public Result train(ExampleSet data, CheckpointStore checkpoints, boolean resume)
      throws IOException {
    if (data.train().size() < 2) {
      throw new IllegalArgumentException(
          "need at least 2 training examples, got " + data.train().size());
    }
    List<Example> val = data.validation();
    if (cfg.maxValidation() > 0 && val.size() > cfg.maxValidation()) {
      List<Example> v = new ArrayList<>(val);
      Collections.shuffle(v, new Random(cfg.seed()));
      val = v.subList(0, cfg.maxValidation());
    }
    int batch = Math.min(cfg.batchSize(), data.train().size());
    int stepsPerEpoch = data.train().size() / batch;
    LrSchedule schedule =
        new LrSchedule(
            cfg.learningRate(),
            Math.min(cfg.warmupSteps(), (long) stepsPerEpoch * cfg.epochs() / 2),
            (long) stepsPerEpoch * cfg.epochs(),
            cfg.minLrFraction());
    NDManager manager = NDManager.newBaseManager();
    try (manager;
        AdamW optimizer = new AdamW(manager, 0.9, 0.98, 1e-6, cfg.weightDecay())) {
      TrainState state;
      if (resume && checkpoints.hasLast()) {
        state = checkpoints.loadLast(params, optimizer, manager);
        log.accept(
            "resumed from "
                + checkpoints.dir().resolve(CheckpointStore.LAST)
                + " after epoch "
                + state.completedEpochs()
                + " (step "
                + state.step()
                + ")");
      } else {
        Recall before = evaluate(val, manager);
        log.accept("validation before training: " + before);
        state = new TrainState(0, 0, before.selectionScore(), 0, 0, before, List.of());
        checkpoints.saveBest(params);
      }
      boolean early = false;
      for (int epoch = state.completedEpochs() + 1; epoch <= cfg.epochs(); epoch++) {
        if (cfg.patience() > 0 && state.badEpochs() >= cfg.patience()) {
          early = true;
          break;
        }
        List<Example> order = new ArrayList<>(data.train());
        Random rnd = new Random(cfg.seed() * 1_000_003L + epoch);
        Collections.shuffle(order, rnd);
        if (cfg.hardNegatives() > 0) {
          order = HardNegativeOrder.arrange(order, batch, cfg.hardNegatives(), rnd);
        }
        double lossSum = 0;
        int lossN = 0;
        long samples = 0;
        double lr = 0;
        long step = state.step();
        long t0 = System.nanoTime();
        long lastPrint = 0;
        long dataNanos = 0;
        int skipped = 0;
        for (int s = 0; s < stepsPerEpoch && !stop.get(); s++) {
          long d0 = System.nanoTime();
          Batch b =
              Batch.of(
                  order.subList(s * batch, (s + 1) * batch),
                  store,
                  augmenter,
                  tokenizer,
                  imageSpec.size(),
                  true,
                  cfg.tokenMaskProb(),
                  rnd);
          if (b.n() < 2) {
            continue;
          }
          lr = schedule.at(step);
          dataNanos += System.nanoTime() - d0;
          float loss = step(b, manager);
          double norm =
              Float.isFinite(loss) ? optimizer.update(params, lr, cfg.gradClip()) : Double.NaN;
          if (!Double.isFinite(norm)) {
            optimizer.skip(params);
            skipped++;
            log.accept(
                String.format(
                    java.util.Locale.ROOT,
                    "skipping step %d: loss %s, gradient norm %s (first photo %s)",
                    s + 1,
                    loss,
                    norm,
                    order.get(s * batch).imageRef()));
            if (skipped > 20) {
              throw new IllegalStateException(
                  "training diverged: more than 20 steps with a non-finite loss or gradient;"
                      + " lower --lr or raise --warmup");
            }
            continue;
          }
          params.clampLogitScale(cfg.maxLogitScale());
          step++;
          lossSum += loss;
          lossN++;
          samples += b.n();
          long now = System.nanoTime();
          if (now - lastPrint > 1_000_000_000L || s == stepsPerEpoch - 1) {
            lastPrint = now;
            double secs = (now - t0) / 1e9;
            double rate = samples / Math.max(secs, 1e-9);
            double eta = (stepsPerEpoch - s - 1) * batch / Math.max(rate, 1e-9);
            log.accept(
                Progress.line(epoch, cfg.epochs(), s + 1, stepsPerEpoch, loss, lr, rate, eta)
                    + String.format(
                        java.util.Locale.ROOT, " (data %.0f%%)", 100.0 * dataNanos / (now - t0)));
          }
        }
        if (stop.get()) {
          log.accept("stopped during epoch " + epoch + "; last checkpoint left intact");
          return new Result(state, null, false, true);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Recall r = evaluate(val, manager);
        EpochStats stats =
            new EpochStats(
                epoch, lossN == 0 ? Double.NaN : lossSum / lossN, lr, samples / secs, secs, r);
        List<EpochStats> history = new ArrayList<>(state.history());
        history.add(stats);
        boolean better = r.selectionScore() > state.bestR10() || val.isEmpty();
        state =
            new TrainState(
                epoch,
                step,
                better ? r.selectionScore() : state.bestR10(),
                better ? epoch : state.bestEpoch(),
                better ? 0 : state.badEpochs() + 1,
                state.before(),
                history);
        log.accept(
            String.format(
                java.util.Locale.ROOT,
                "epoch %d: loss %.4f, validation %s%s",
                epoch,
                stats.trainLoss(),
                r,
                better ? " (best)" : ""));
        if (better) {
          checkpoints.saveBest(params);
        }
        checkpoints.saveLast(params, optimizer, state);
      }
      if (state.completedEpochs() < cfg.epochs() && !early) {
        early = cfg.patience() > 0 && state.badEpochs() >= cfg.patience();
      }
      params.load(checkpoints.loadBest());
      Recall after = evaluate(val, manager);
      log.accept("validation after training (best epoch " + state.bestEpoch() + "): " + after);
      return new Result(state, after, early, false);
    }
  }

  private float step(Batch b, NDManager manager) {
    try (NDScope scope = new NDScope();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      scope.suppressNotUsedWarning();
      int s = imageSpec.size();
      NDArray px = manager.create(b.pixels(), new Shape(b.n(), 3, s, s));
      NDArray ids = manager.create(b.ids(), new Shape(b.n(), b.len()));
      NDArray mask = manager.create(b.mask(), new Shape(b.n(), b.len()));
      NDArray img = DjlClip.normalize(model.encodeImage(px));
      NDArray txt = DjlClip.normalize(model.encodeText(ids, mask));
      NDArray loss = ContrastiveLoss.loss(img, txt, model.logitScale(), b.groups());
      gc.backward(loss);
      return loss.getFloat();
    }
  }

  /** Validation recall of the current parameters (centre crop, first caption, no masking). */
  public Recall evaluate(List<Example> val, NDManager manager) {
    if (val.size() < 2) {
      return new Recall(0, 0, 0, 0, 0, 0, val.size());
    }
    List<float[]> img = new ArrayList<>();
    List<float[]> txt = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    java.util.Map<String, Integer> gIndex = new java.util.HashMap<>();
    int eb = 64;
    for (int i = 0; i < val.size(); i += eb) {
      List<Example> chunk = val.subList(i, Math.min(val.size(), i + eb));
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
      out.add(java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d));
    }
  }
}
