package dev.shopsearch.trainer.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Symmetric InfoNCE over the in-batch similarity matrix: cross-entropy image→text over rows plus
 * text→image over columns, averaged. Pairs that share a group (photos of the same product or look)
 * are not negatives of each other: their off-diagonal logits are masked out in both directions.
 */
public final class ContrastiveLoss {

  private ContrastiveLoss() {}

  /**
   * The loss.
   *
   * @param image {@code [B, D]} L2-normalised image embeddings
   * @param text {@code [B, D]} L2-normalised text embeddings (row i pairs with image row i)
   * @param scale scalar logit scale (exp of the learnable parameter)
   * @param groups group id per row; equal ids are never negatives of each other
   * @return scalar loss
   */
  public static NDArray loss(NDArray image, NDArray text, NDArray scale, int[] groups) {
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
    NDArray logits = image.matMul(text.transpose()).mul(scale);
    logits = logits.add(m.create(groupMask(groups), new Shape(b, b)));
    NDArray eye = m.eye(b);
    NDArray i2t = logits.logSoftmax(1).mul(eye).sum().neg();
    NDArray t2i = logits.logSoftmax(0).mul(eye).sum().neg();
    return i2t.add(t2i).div(2f * b);
  }

  /** Additive mask: -1e9 where i != j and groups[i] == groups[j], else 0. */
  static float[] groupMask(int[] groups) {
    int b = groups.length;
    float[] mask = new float[b * b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        if (i != j && groups[i] == groups[j]) {
          mask[i * b + j] = -1e9f;
        }
      }
    }
    return mask;
  }
}
