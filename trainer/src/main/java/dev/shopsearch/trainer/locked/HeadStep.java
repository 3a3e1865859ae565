package dev.shopsearch.trainer.locked;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.shopsearch.trainer.clip.Objective;
import java.util.List;
import java.util.Random;

/**
 * One training step of the locked heads (package-private): {@link #collate} assembles a batch from
 * cached features (a random caption variant per photo, the mirrored photo half of the time), merges
 * groups of identical captions and augments the features; {@link #forwardBackward} backpropagates
 * the group-masked loss ({@link Objective}: symmetric InfoNCE or sigmoid). The optimizer update is
 * the caller's. Not thread-safe.
 */
final class HeadStep {
  private HeadStep() {}

  /**
   * A collated batch of features.
   *
   * @param n rows
   * @param image image features, row-major {@code [n, imageWidth]}
   * @param imageWidth image feature width
   * @param text chosen caption features, row-major {@code [n, textWidth]}
   * @param textWidth text feature width
   * @param groups group per row (identical captions merged)
   */
  record Batch(int n, float[] image, int imageWidth, float[] text, int textWidth, int[] groups) {}

  /** Collates {@code rows} of {@code f}, drawing variants, mirroring and augmentation from rnd. */
  static Batch collate(Features f, List<Integer> rows, Random rnd, LockedTrainer.Config cfg) {
    int b = rows.size();
    int wi = f.image()[0].length;
    int wt = f.captions()[0][0].length;
    float[] img = new float[b * wi];
    float[] txt = new float[b * wt];
    int[] groups = new int[b];
    float[][] chosen = new float[b][];
    for (int k = 0; k < b; k++) {
      int i = rows.get(k);
      boolean flip = f.flipped() != null && rnd.nextBoolean();
      System.arraycopy(flip ? f.flipped()[i] : f.image()[i], 0, img, k * wi, wi);
      float[][] variants = f.captions()[i];
      chosen[k] = variants[rnd.nextInt(variants.length)];
      System.arraycopy(chosen[k], 0, txt, k * wt, wt);
      groups[k] = f.groups()[i];
    }
    groups = BatchGroups.merge(groups, chosen);
    augment(img, wi, cfg, rnd);
    augment(txt, wt, cfg, rnd);
    return new Batch(b, img, wi, txt, wt, groups);
  }

  /** Runs the forward and backward pass (head dropout on); returns the loss. */
  static float forwardBackward(Batch b, LockedHeads heads, Objective objective, NDManager manager) {
    try (NDScope scope = new NDScope();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      scope.suppressNotUsedWarning();
      NDArray ie =
          heads.embedImage(manager.create(b.image(), new Shape(b.n(), b.imageWidth())), true);
      NDArray te = heads.embedText(manager.create(b.text(), new Shape(b.n(), b.textWidth())), true);
      NDArray loss = objective.loss(ie, te, heads.logitScale(), b.groups());
      gc.backward(loss);
      return loss.getFloat();
    }
  }

  /**
   * Feature-level augmentation in place: inverted dropout at {@code featureDropout}, then Gaussian
   * noise of expected norm {@code featureNoise} per row of {@code width}.
   */
  static void augment(float[] rows, int width, LockedTrainer.Config cfg, Random rnd) {
    double p = cfg.featureDropout();
    double sigma = cfg.featureNoise() / Math.sqrt(width);
    if (p == 0 && sigma == 0) {
      return;
    }
    float keep = (float) (1 / (1 - p));
    for (int i = 0; i < rows.length; i++) {
      float v = p > 0 && rnd.nextDouble() < p ? 0f : rows[i] * keep;
      rows[i] = sigma > 0 ? v + (float) (rnd.nextGaussian() * sigma) : v;
    }
  }
}
