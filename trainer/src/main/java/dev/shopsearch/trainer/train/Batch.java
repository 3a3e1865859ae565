package dev.shopsearch.trainer.train;

import dev.shopsearch.trainer.data.Augmenter;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.data.ImageStore;
import dev.shopsearch.trainer.data.TextTokenizer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One collated batch: pixels {@code [n, 3, s, s]}, right-padded token ids and attention mask {@code
 * [n, len]}, and a group index per row (rows of one group are not negatives of each other).
 *
 * @param n rows (examples whose photo failed to load are left out)
 * @param len padded sequence length
 * @param pixels CHW pixels, row-major
 * @param ids token ids
 * @param mask attention mask (1 for real tokens)
 * @param groups group index per row
 */
public record Batch(int n, int len, float[] pixels, long[] ids, long[] mask, int[] groups) {

  /**
   * Collates examples.
   *
   * @param train true: random caption variant, augmentation and token masking; false: first
   *     caption, centre crop, no masking
   * @param rnd random source (used only when {@code train})
   */
  public static Batch of(
      List<Example> examples,
      ImageStore store,
      Augmenter augmenter,
      TextTokenizer tokenizer,
      int imageSize,
      boolean train,
      double maskProb,
      Random rnd) {
    List<float[]> px = new ArrayList<>();
    List<long[]> toks = new ArrayList<>();
    List<String> groupKeys = new ArrayList<>();
    for (Example e : examples) {
      BufferedImage img = store.get(e.imageRef());
      if (img == null) {
        continue;
      }
      String caption =
          train ? e.captions().get(rnd.nextInt(e.captions().size())) : e.captions().get(0);
      long[] t = tokenizer.encode(caption);
      if (train && maskProb > 0 && t.length > 2) {
        t = t.clone();
        for (int i = 1; i < t.length - 1; i++) {
          if (rnd.nextDouble() < maskProb) {
            t[i] = tokenizer.maskId();
          }
        }
      }
      px.add(train ? augmenter.train(img, rnd) : augmenter.eval(img));
      toks.add(t);
      groupKeys.add(e.group());
    }
    int n = px.size();
    int len = 1;
    for (long[] t : toks) {
      len = Math.max(len, t.length);
    }
    int plane = 3 * imageSize * imageSize;
    float[] pixels = new float[n * plane];
    long[] ids = new long[n * len];
    long[] mask = new long[n * len];
    int[] groups = new int[n];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      System.arraycopy(px.get(i), 0, pixels, i * plane, plane);
      long[] t = toks.get(i);
      java.util.Arrays.fill(ids, i * len, (i + 1) * len, tokenizer.padId());
      for (int j = 0; j < t.length; j++) {
        ids[i * len + j] = t[j];
        mask[i * len + j] = 1;
      }
      groups[i] = index.computeIfAbsent(groupKeys.get(i), k -> index.size());
    }
    return new Batch(n, len, pixels, ids, mask, groups);
  }
}
