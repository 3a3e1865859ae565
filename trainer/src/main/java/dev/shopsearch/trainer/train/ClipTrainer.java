package dev.shopsearch.trainer.train;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.clip.DjlClip;
import dev.shopsearch.trainer.clip.Objective;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.data.ImageStore;
import dev.shopsearch.trainer.data.TextTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a {@link DjlClip} model with symmetric InfoNCE (or SigLIP's sigmoid loss, {@link
 * Config#loss()}) on image–caption pairs through the {@link TrainingLoop} (resume, schedule,
 * checkpoints, early stopping and the stop signal are the loop's): seeded shuffling, optional
 * in-batch hard negatives, random resized crops and token masking per epoch; the logit scale
 * clamped at {@link Config#maxLogitScale()}; validation recall on at most {@link
 * Config#maxValidation()} held-out photos. Not thread-safe.
 */
public final class ClipTrainer {

  /**
   * Settings of a CLIP-family run.
   *
   * @param loop the loop's settings (for fine-tuning usually {@link LoopConfig.Keep#BEST})
   * @param tokenMaskProb probability of replacing a caption token by the mask id, in [0, 0.5]
   * @param cropMinScale minimum area fraction of the random resized crop, in (0, 1]
   * @param maxValidation cap on validation examples used for recall, at least 0 (0: all)
   * @param maxLogitScale upper bound of exp(logit_scale), in [1, 1000]
   * @param hardNegatives fraction of each batch drawn from one category (in-batch hard negatives:
   *     same category, other products), in [0, 1]; 0 = plain shuffling
   * @param loss the training loss (symmetric InfoNCE or SigLIP's sigmoid loss, {@link Objective})
   */
  public record Config(
      LoopConfig loop,
      double tokenMaskProb,
      double cropMinScale,
      int maxValidation,
      double maxLogitScale,
      double hardNegatives,
      Objective.Kind loss) {

    /** Symmetric InfoNCE. */
    public Config(
        LoopConfig loop,
        double tokenMaskProb,
        double cropMinScale,
        int maxValidation,
        double maxLogitScale,
        double hardNegatives) {
      this(
          loop,
          tokenMaskProb,
          cropMinScale,
          maxValidation,
          maxLogitScale,
          hardNegatives,
          Objective.Kind.INFONCE);
    }

    public Config {
      if (loop == null) {
        throw new IllegalArgumentException("loop must not be null");
      }
      if (loss == null) {
        throw new IllegalArgumentException("loss must not be null");
      }
      check(tokenMaskProb >= 0 && tokenMaskProb <= 0.5, "tokenMaskProb", tokenMaskProb, "[0, 0.5]");
      check(cropMinScale > 0 && cropMinScale <= 1, "cropMinScale", cropMinScale, "(0, 1]");
      check(maxValidation >= 0, "maxValidation", maxValidation, "[0, inf)");
      check(
          maxLogitScale >= 1 && maxLogitScale <= 1000, "maxLogitScale", maxLogitScale, "[1, 1000]");
      check(hardNegatives >= 0 && hardNegatives <= 1, "hardNegatives", hardNegatives, "[0, 1]");
    }

    private static void check(boolean ok, String name, Object value, String range) {
      if (!ok) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "%s must be in %s; %s=%s", name, range, name, value));
      }
    }
  }

  private final Config cfg;
  private final ClipParameters params;
  private final TextTokenizer tokenizer;
  private final ImageSpec imageSpec;
  private final ImageStore store;
  private final TrainingLoop loop;

  public ClipTrainer(
      Config cfg,
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
    this.loop = new TrainingLoop(cfg.loop(), log);
  }

  /** Adds a listener to the loop (e.g. a {@link StopSignal}). */
  public ClipTrainer listen(TrainingListener listener) {
    loop.listen(listener);
    return this;
  }

  /**
   * Trains on {@code data}'s training split, validating on (at most {@link Config#maxValidation()}
   * of) its validation split.
   *
   * @param checkpoints where checkpoints go
   * @param resume continue from the {@link CheckpointStore#LAST} checkpoint when present
   */
  public TrainingLoop.Outcome train(ExampleSet data, CheckpointStore checkpoints, boolean resume)
      throws IOException {
    List<Example> val = data.validation();
    if (cfg.maxValidation() > 0 && val.size() > cfg.maxValidation()) {
      List<Example> v = new ArrayList<>(val);
      Collections.shuffle(v, new Random(cfg.loop().seed()));
      val = v.subList(0, cfg.maxValidation());
    }
    return loop.run(
        new ClipTask(cfg, params, tokenizer, imageSpec, store, data.train(), val),
        checkpoints,
        resume);
  }
}
