package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.shopsearch.trainer.clip.Objective;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.train.CheckpointStore;
import dev.shopsearch.trainer.train.LoopConfig;
import dev.shopsearch.trainer.train.Recall;
import dev.shopsearch.trainer.train.StopSignal;
import dev.shopsearch.trainer.train.TrainingListener;
import dev.shopsearch.trainer.train.TrainingLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains the locked-tower family: features of every photo and caption come once from the {@link
 * FrozenTowers} (through the {@link FeatureCache}); only the {@link LockedHeads} and the
 * temperature learn, with the CLIP family's group-masked InfoNCE ({@link
 * dev.shopsearch.trainer.clip.ContrastiveLoss}), through the shared {@link TrainingLoop} (AdamW,
 * warmup + cosine schedule, {@link Recall} on a held-out split after every epoch, early stopping,
 * checkpoints and exact resume are the loop's). Training examples pick a random caption variant per
 * step; feature noise and dropout augment the frozen features. Photos that cannot be read or
 * decoded are skipped (counted), never the run. Not thread-safe.
 */
public final class LockedTrainer {

  /**
   * @param loop the loop's settings ({@link LoopConfig.Keep#LAST} when the held-out split is also
   *     the one reported, so nothing is selected on it)
   * @param featureNoise norm of the Gaussian noise added to each (unit-norm) frozen feature while
   *     training, [0, 10]
   * @param featureDropout dropout rate on the frozen features while training, [0, 0.9]
   * @param hardCluster hard negatives: size of the look-alike clusters ({@link NeighbourBatches})
   *     put into each batch, [2, 256], or 0 for plain shuffled batches
   * @param hardShare share of each batch filled with look-alike clusters, (0, 1]
   */
  public record Config(
      LoopConfig loop,
      double featureNoise,
      double featureDropout,
      int hardCluster,
      double hardShare,
      Objective.Kind loss) {

    /** Symmetric InfoNCE. */
    public Config(
        LoopConfig loop,
        double featureNoise,
        double featureDropout,
        int hardCluster,
        double hardShare) {
      this(loop, featureNoise, featureDropout, hardCluster, hardShare, Objective.Kind.INFONCE);
    }

    /** No augmentation, plain shuffled batches, InfoNCE. */
    public static Config plain(LoopConfig loop) {
      return new Config(loop, 0, 0, 0, 0.5);
    }

    public Config {
      if (loop == null) {
        throw new IllegalArgumentException("loop must not be null");
      }
      if (loss == null) {
        throw new IllegalArgumentException("loss must not be null");
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
    }
  }

  /**
   * The outcome of a run.
   *
   * @param outcome the loop's outcome (state with per-epoch loss and held-out recall, kept epoch)
   * @param trainExamples training examples with usable features
   * @param skipped examples left out (photo unreadable or undecodable)
   */
  public record Result(TrainingLoop.Outcome outcome, int trainExamples, int skipped) {

    /** Mean training loss per finished epoch. */
    public List<Double> epochLoss() {
      return outcome.state().losses();
    }

    /** Held-out recall after each finished epoch. */
    public List<Recall> heldOut() {
      return outcome.state().validation();
    }

    /** Held-out recall of the initial heads. */
    public Recall before() {
      return outcome.state().before();
    }

    /** Held-out recall of the heads left in place ({@code null} when interrupted). */
    public Recall after() {
      return outcome.after();
    }

    /** The epoch whose heads were kept (0: the initial heads). */
    public int bestEpoch() {
      return outcome.keptEpoch();
    }

    /** Whether early stopping ended the run before its last epoch. */
    public boolean stoppedEarly() {
      return outcome.stoppedEarly();
    }

    /** Whether a stop request ended the run ({@code --resume} continues it). */
    public boolean interrupted() {
      return outcome.interrupted();
    }
  }

  private final FeatureExtractor extractor;
  private final Consumer<String> log;
  private final List<TrainingListener> listeners = new ArrayList<>();

  public LockedTrainer(FrozenTowers towers, FeatureCache cache, Consumer<String> log) {
    this.extractor = new FeatureExtractor(towers, cache, log);
    this.log = log;
  }

  FeatureExtractor extractor() {
    return extractor;
  }

  /** Adds a listener to every run of this trainer (e.g. a {@link StopSignal}). */
  public LockedTrainer listen(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Trains {@code heads} in place on {@code data} (its validation split is the held-out set),
   * without checkpoints.
   */
  public Result train(ExampleSet data, LockedHeads heads, Config cfg) {
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
    return train(train, val, heads, cfg, CheckpointStore.inMemory(), false);
  }

  /**
   * Trains {@code heads} in place on {@code train}, scoring {@code heldOut} (first caption variant)
   * after every epoch.
   *
   * @param checkpoints where checkpoints go ({@link CheckpointStore#inMemory()} for none)
   * @param resume continue from the store's {@code last} checkpoint if present
   * @throws IllegalArgumentException if {@code resume} is set with an in-memory store
   * @throws UncheckedIOException if a checkpoint cannot be read or written
   */
  Result train(
      Features train,
      Features heldOut,
      LockedHeads heads,
      Config cfg,
      CheckpointStore checkpoints,
      boolean resume) {
    TrainingLoop loop = new TrainingLoop(cfg.loop(), log);
    listeners.forEach(loop::listen);
    try {
      TrainingLoop.Outcome outcome =
          loop.run(new LockedTask(train, heldOut, heads, cfg), checkpoints, resume);
      return new Result(outcome, train.size(), train.skipped() + heldOut.skipped());
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Held-out recall with the first caption variant of each example. */
  static Recall evaluate(Features f, LockedHeads heads, NDManager manager) {
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
