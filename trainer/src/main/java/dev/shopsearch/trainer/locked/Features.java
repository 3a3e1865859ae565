package dev.shopsearch.trainer.locked;

/**
 * Frozen-tower features of a list of examples, aligned by index.
 *
 * @param image image feature per example {@code [n][imageWidth]} (the photo as it is)
 * @param flipped feature of each photo mirrored left-right (training augmentation), or {@code null}
 * @param captions caption-variant features per example {@code [n][variants][textWidth]}; variant 0
 *     is the first caption template's
 * @param groups group per example, re-indexed from 0 (equal groups are never negatives)
 * @param index position of each row's example in the list the features were made from
 * @param skipped examples left out because their photo could not be read or decoded
 */
record Features(
    float[][] image,
    float[][] flipped,
    float[][][] captions,
    int[] groups,
    int[] index,
    int skipped) {

  int size() {
    return groups.length;
  }

  /** Variant 0 of every example's captions. */
  float[][] firstCaptions() {
    float[][] out = new float[size()][];
    for (int i = 0; i < size(); i++) {
      out[i] = captions[i][0];
    }
    return out;
  }
}
