package dev.shopsearch.trainer.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * SigLIP's pairwise sigmoid loss (Zhai et al. 2023) over the in-batch similarity matrix: every
 * image–text pair is an independent binary classification with logit {@code t·<x_i, y_j> + b} and
 * label {@code z_ij = +1} for a positive, {@code -1} otherwise; the loss is {@code -1/B Σ_ij log
 * σ(z_ij · logit_ij)}. Pairs that share a group (photos of the same product or look) are positives,
 * as the matching caption is: the InfoNCE path keeps them out of the negatives, the sigmoid path
 * (which has no softmax to leave them out of) labels them +1.
 */
public final class SigmoidLoss {

  /** SigLIP's initial log scale, {@code t' = log 10}. */
  public static final float INITIAL_LOG_SCALE = (float) Math.log(10);

  /** SigLIP's initial bias. */
  public static final float INITIAL_BIAS = -10f;

  private SigmoidLoss() {}

  /**
   * The loss.
   *
   * @param image {@code [B, D]} L2-normalised image embeddings
   * @param text {@code [B, D]} L2-normalised text embeddings (row i pairs with image row i)
   * @param scale scalar logit scale {@code t = exp(t')}
   * @param bias scalar logit bias {@code b}
   * @param groups group id per row; equal ids are positives of each other
   * @return scalar loss (summed over the B x B pairs, divided by B)
   * @throws IllegalArgumentException if the batch sizes differ, naming them
   */
  public static NDArray loss(
      NDArray image, NDArray text, NDArray scale, NDArray bias, int[] groups) {
    int b = groups.length;
    if (image.getShape().get(0) != b || text.getShape().get(0) != b) {
      throw new IllegalArgumentException(
          "batch mismatch: groups="
              + b
              + " image="
              + image.getShape()
              + " text="
              + text.getShape());
    }
    NDManager m = image.getManager();
    NDArray logits = image.matMul(text.transpose()).mul(scale).add(bias);
    NDArray z = m.create(labels(groups), new Shape(b, b));
    // -log σ(x) = softplus(-x) = log(1 + exp(-|x|)) + max(-x, 0), stable for any x
    NDArray x = logits.mul(z);
    NDArray nll = x.abs().neg().exp().add(1f).log().add(x.neg().maximum(0f));
    return nll.sum().div((float) b);
  }

  /** Labels row-major {@code [B, B]}: +1 where i == j or groups[i] == groups[j], else -1. */
  public static float[] labels(int[] groups) {
    int b = groups.length;
    float[] z = new float[b * b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        z[i * b + j] = i == j || groups[i] == groups[j] ? 1f : -1f;
      }
    }
    return z;
  }
}
