package dev.shopsearch.trainer.locked;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.shopsearch.trainer.clip.AdamW;
import dev.shopsearch.trainer.clip.ContrastiveLoss;
import dev.shopsearch.trainer.clip.LrSchedule;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.train.Recall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Trains the locked-tower family: features of every photo and caption come once from the {@link
 * FrozenTowers} (through the {@link FeatureCache}); only the {@link LockedHeads} and the
 * temperature learn, with the CLIP trainer's {@link ContrastiveLoss} (group-masked symmetric
 * InfoNCE), {@link AdamW} and {@link LrSchedule}, and {@link Recall} on a held-out split after
 * every epoch (optional early stopping on {@link Recall#selectionScore()} with the best heads
 * restored at the end; optional per-epoch {@link HeadCheckpoints}). Training examples pick a random
 * caption variant per step; feature noise and dropout augment the frozen features. Photos that
 * cannot be read or decoded are skipped (counted), never the run. Not thread-safe.
 */
public final class LockedTrainer {

  /**
   * @param epochs passes over the training examples, [1, 10000]
   * @param batchSize examples per step, [2, 65536]
   * @param learningRate peak learning rate, (0, 1)
   * @param warmupSteps linear warmup steps (capped at half the run), then cosine decay to 10%
   * @param weightDecay AdamW decoupled weight decay on the head matrices, [0, 1]
   * @param maxGradNorm global gradient-norm clip, 0 for none
   * @param seed shuffling, caption-choice and augmentation seed
   * @param featureNoise norm of the Gaussian noise added to each (unit-norm) frozen feature while
   *     training, [0, 10]
   * @param featureDropout dropout rate on the frozen features while training, [0, 0.9]
   * @param patience early stopping: stop after this many epochs without a better held-out score and
   *     restore the best epoch's heads; 0 runs every epoch and keeps the last epoch's heads (use 0
   *     when the held-out split is also the one reported, so nothing is selected on it)
   * @param checkpoints per-epoch checkpoint directory, or {@code null} for none
   * @param hardCluster hard negatives: size of the look-alike clusters ({@link NeighbourBatches})
   *     put into each batch, [2, 256], or 0 for plain shuffled batches
   * @param hardShare share of each batch filled with look-alike clusters, (0, 1]
   */
  public record Config(
      int epochs,
      int batchSize,
      double learningRate,
      long warmupSteps,
      double weightDecay,
      double maxGradNorm,
      long seed,
      double featureNoise,
      double featureDropout,
      int patience,
      Path checkpoints,
      int hardCluster,
      double hardShare) {

    /** No augmentation, no early stopping, no checkpoints. */
    public Config(
        int epochs,
        int batchSize,
        double learningRate,
        long warmupSteps,
        double weightDecay,
        double maxGradNorm,
        long seed) {
      this(
          epochs,
          batchSize,
          learningRate,
          warmupSteps,
          weightDecay,
          maxGradNorm,
          seed,
          0,
          0,
          0,
          null,
          0,
          0.5);
    }

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
      if (!(featureNoise >= 0 && featureNoise <= 10)) {
        throw new IllegalArgumentException(
            "featureNoise must be in [0, 10]; featureNoise=" + featureNoise);
      }
      if (!(featureDropout >= 0 && featureDropout <= 0.9)) {
        throw new IllegalArgumentException(
            "featureDropout must be in [0, 0.9]; featureDropout=" + featureDropout);
      }
      if (hardCluster != 0 && (hardCluster < 2 || hardCluster > 256)) {
        throw new IllegalArgumentException(
            "hardCluster must be 0 or in [2, 256]; hardCluster=" + hardCluster);
      }
      if (!(hardShare > 0 && hardShare <= 1)) {
        throw new IllegalArgumentException("hardShare must be in (0, 1]; hardShare=" + hardShare);
      }
      if (patience < 0) {
        throw new IllegalArgumentException("patience must be >= 0; patience=" + patience);
      }
    }

    /** 30 epochs, batch 64, lr 1e-3, 20 warmup steps, decay 0.01, clip 1.0. */
    public static Config defaults(long seed) {
      return new Config(30, 64, 1e-3, 20, 0.01, 1.0, seed);
    }
  }

  /**
   * @param epochLoss mean training loss per epoch
   * @param heldOut held-out recall after each epoch
   * @param before held-out recall of the initial heads
   * @param after held-out recall of the restored best heads
   * @param bestEpoch the epoch whose heads were kept (1-based): the best held-out epoch with early
   *     stopping, else the last
   * @param trainExamples training examples with usable features
   * @param skipped examples left out (photo unreadable or undecodable)
   * @param interrupted the stop signal ended the run after a checkpoint ({@code --resume}
   *     continues)
   */
  public record Result(
      List<Double> epochLoss,
      List<Recall> heldOut,
      Recall before,
      Recall after,
      int bestEpoch,
      int trainExamples,
      int skipped,
      boolean interrupted) {

    /** Whether training stopped before the configured number of epochs. */
    public boolean stoppedEarly(Config cfg) {
      return epochLoss.size() < cfg.epochs();
    }
  }

  private final FeatureExtractor extractor;
  private final Consumer<String> log;
  private BooleanSupplier stop = () -> false;

  public LockedTrainer(FrozenTowers towers, FeatureCache cache, Consumer<String> log) {
    this.extractor = new FeatureExtractor(towers, cache, log);
    this.log = log;
  }

  FeatureExtractor extractor() {
    return extractor;
  }

  /**
   * A stop signal checked after each epoch's checkpoint (e.g. Ctrl-C); when it is true the run ends
   * there with {@link Result#interrupted()}.
   */
  public LockedTrainer stopWhen(BooleanSupplier signal) {
    this.stop = signal;
    return this;
  }

  /** Trains {@code heads} in place on {@code data}; its validation split is the held-out set. */
  public Result train(ExampleSet data, LockedHeads heads, Config cfg) {
    return train(data, heads, cfg, false);
  }

  /**
   * As {@link #train(ExampleSet, LockedHeads, Config)}; with {@code resume} the run continues from
   * the {@code last} checkpoint in {@link Config#checkpoints()} when there is one.
   */
  public Result train(ExampleSet data, LockedHeads heads, Config cfg, boolean resume) {
    Features train = extractor.features(data.train());
    Features val = extractor.features(data.validation());
    log.accept(
        String.format(
            Locale.ROOT,
            "features: train %d, validation %d, skipped %d; cache hits %d, computed %d",
            train.size(),
            val.size(),
            train.skipped() + val.skipped(),
            extractor.cache().hits(),
            extractor.cache().misses()));
    return train(train, val, heads, cfg, resume);
  }

  /** {@link #train(Features, Features, LockedHeads, Config, boolean)} without resuming. */
  Result train(Features train, Features heldOut, LockedHeads heads, Config cfg) {
    return train(train, heldOut, heads, cfg, false);
  }

  /**
   * Trains {@code heads} in place on {@code train}, scoring {@code heldOut} (first caption variant)
   * after every epoch; with early stopping ({@code patience > 0}) the best epoch's heads are
   * restored at the end. Each epoch draws its order, caption choices, augmentation and dropout from
   * seeds derived from {@code (seed, epoch)}, so a resumed run repeats exactly what an
   * uninterrupted one would have done.
   *
   * @param resume continue from the {@code last} checkpoint in {@link Config#checkpoints()} if
   *     present (heads, AdamW moments, schedule position, history, best heads)
   * @throws IllegalArgumentException if {@code resume} is set without a checkpoint directory
   */
  Result train(Features train, Features heldOut, LockedHeads heads, Config cfg, boolean resume) {
    if (train.size() < 2) {
      throw new IllegalArgumentException(
          "need at least 2 training examples with usable photos; have " + train.size());
    }
    if (resume && cfg.checkpoints() == null) {
      throw new IllegalArgumentException("resume needs a checkpoint directory (--checkpoints)");
    }
    int batch = Math.min(cfg.batchSize(), train.size());
    int stepsPerEpoch = Math.max(1, train.size() / batch);
    long total = (long) stepsPerEpoch * cfg.epochs();
    LrSchedule schedule =
        new LrSchedule(cfg.learningRate(), Math.min(cfg.warmupSteps(), total / 2), total, 0.1);
    HeadCheckpoints checkpoints =
        cfg.checkpoints() == null ? null : new HeadCheckpoints(cfg.checkpoints());
    NDManager manager = NDManager.newBaseManager();
    try (manager;
        AdamW optimizer = new AdamW(manager, 0.9, 0.98, 1e-6, cfg.weightDecay())) {
      LockedState state = null;
      if (resume) {
        state = checkpoints.loadLast(heads, optimizer, manager).orElse(null);
        log.accept(
            state == null
                ? "no checkpoint to resume in " + checkpoints.dir() + "; starting afresh"
                : String.format(
                    Locale.ROOT,
                    "resumed from %s after epoch %d (step %d, best epoch %d)",
                    checkpoints.dir(),
                    state.completedEpochs(),
                    state.step(),
                    state.bestEpoch()));
      }
      Map<String, float[]> best;
      if (state == null) {
        Recall before = evaluate(heldOut, heads, manager);
        log.accept("held-out before training: " + before);
        state = new LockedState(0, 0, Double.NEGATIVE_INFINITY, 0, before, List.of(), List.of());
        best = heads.snapshot();
        if (checkpoints != null) {
          checkpoints.save("best", heads, info(0, Double.NaN, before));
        }
      } else {
        best = HeadCheckpoints.load(checkpoints.weights("best"), manager);
      }
      NeighbourBatches hard =
          cfg.hardCluster() == 0
              ? null
              : new NeighbourBatches(
                  train.image(), train.groups(), cfg.hardCluster(), cfg.hardShare());
      List<Double> losses = new ArrayList<>(state.losses());
      List<Recall> scores = new ArrayList<>(state.heldOut());
      double bestScore = state.bestScore();
      int bestEpoch = state.bestEpoch();
      long step = state.step();
      boolean interrupted = false;
      for (int epoch = state.completedEpochs() + 1; epoch <= cfg.epochs(); epoch++) {
        if (cfg.patience() > 0 && epoch - 1 - bestEpoch >= cfg.patience()) {
          break; // a resumed run that had already stopped early
        }
        long t0 = System.nanoTime();
        Random rnd = new Random(cfg.seed() * 1_000_003L + epoch);
        Engine.getInstance().setRandomSeed((int) (cfg.seed() * 31 + epoch));
        List<Integer> order;
        if (hard == null) {
          order = new ArrayList<>(train.size());
          for (int i = 0; i < train.size(); i++) {
            order.add(i);
          }
          Collections.shuffle(order, rnd);
        } else {
          order = hard.epoch(batch, rnd);
        }
        double sum = 0;
        for (int s = 0; s < stepsPerEpoch; s++) {
          List<Integer> rows = order.subList(s * batch, (s + 1) * batch);
          sum += HeadStep.run(train, rows, heads, manager, rnd, cfg);
          optimizer.update(heads, schedule.at(step++), cfg.maxGradNorm());
        }
        double loss = sum / stepsPerEpoch;
        losses.add(loss);
        Recall r = evaluate(heldOut, heads, manager);
        scores.add(r);
        // Without a held-out set (fewer than 2 examples) every epoch "improves": the last one
        // stays.
        boolean improved = heldOut.size() < 2 || r.selectionScore() > bestScore;
        if (improved) {
          bestScore = r.selectionScore();
          bestEpoch = epoch;
          best = heads.snapshot();
        }
        log.accept(
            String.format(
                Locale.ROOT,
                "epoch %d loss %.4f temperature %.4f lr %.2e held-out R@10 i2t %.3f t2i %.3f%s"
                    + " (%.1fs)",
                epoch,
                loss,
                heads.temperature(),
                schedule.at(step - 1),
                r.i2t10(),
                r.t2i10(),
                improved ? " *" : "",
                (System.nanoTime() - t0) / 1e9));
        if (checkpoints != null) {
          Map<String, Object> info = info(epoch, loss, r);
          if (improved) {
            checkpoints.save("best", heads, info);
          }
          checkpoints.saveLast(
              heads,
              optimizer,
              info,
              new LockedState(epoch, step, bestScore, bestEpoch, state.before(), losses, scores));
        }
        if (cfg.patience() > 0 && epoch - bestEpoch >= cfg.patience()) {
          log.accept(
              String.format(
                  Locale.ROOT,
                  "early stop after epoch %d: no better held-out score for %d epochs (best %d)",
                  epoch,
                  cfg.patience(),
                  bestEpoch));
          break;
        }
        if (epoch < cfg.epochs() && stop.getAsBoolean()) {
          interrupted = true;
          log.accept("stopped after epoch " + epoch + "; --resume continues from the checkpoint");
          break;
        }
      }
      int kept = losses.size();
      if (cfg.patience() > 0 && !interrupted) {
        heads.restore(best);
        kept = bestEpoch;
      }
      Recall after = evaluate(heldOut, heads, manager);
      log.accept("held-out after training (epoch " + kept + "): " + after);
      return new Result(
          List.copyOf(losses),
          List.copyOf(scores),
          state.before(),
          after,
          kept,
          train.size(),
          train.skipped() + heldOut.skipped(),
          interrupted);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read best checkpoint", e);
    }
  }

  private static Map<String, Object> info(int epoch, double loss, Recall r) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("epoch", epoch);
    info.put("loss", Double.isFinite(loss) ? loss : null);
    info.put("heldOut", r);
    return info;
  }

  /** Held-out recall with the first caption variant of each example. */
  Recall evaluate(Features f, LockedHeads heads, NDManager manager) {
    if (f.size() < 2) {
      return new Recall(0, 0, 0, 0, 0, 0, f.size());
    }
    return Recall.compute(
        embed(f.image(), heads, manager, true),
        embed(f.firstCaptions(), heads, manager, false),
        f.groups());
  }

  /** Head outputs for feature rows (no gradient, no dropout). */
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
}
