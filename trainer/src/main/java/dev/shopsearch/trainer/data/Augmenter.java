package dev.shopsearch.trainer.data;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.image.ImagePreprocessor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Image tensors for training and evaluation, normalised with a bundle's {@link ImageSpec} into
 * {@code float[3 * size * size]} CHW.
 *
 * <ul>
 *   <li>training: random resized crop (area {@code [minScale, 1]}, aspect ratio {@code [3/4, 4/3]},
 *       log-uniform) then a horizontal flip with probability 1/2;
 *   <li>evaluation: the serving preprocessor (shortest-side resize, centre crop).
 * </ul>
 *
 * Thread-safe (the random source is passed in).
 */
public final class Augmenter {

  private final ImageSpec spec;
  private final double minScale;
  private final ImagePreprocessor preprocessor;

  public Augmenter(ImageSpec spec, double minScale) {
    if (!(minScale > 0 && minScale <= 1)) {
      throw new IllegalArgumentException("crop minScale must be in (0, 1]; was " + minScale);
    }
    this.spec = spec;
    this.minScale = minScale;
    this.preprocessor = new ImagePreprocessor(spec);
  }

  /** Augmented training tensor. */
  public float[] train(BufferedImage src, Random rnd) {
    int w = src.getWidth();
    int h = src.getHeight();
    int cw = w;
    int ch = h;
    for (int attempt = 0; attempt < 10; attempt++) {
      double area = w * (double) h * (minScale + (1 - minScale) * rnd.nextDouble());
      double logR = Math.log(3 / 4.0) + (Math.log(4 / 3.0) - Math.log(3 / 4.0)) * rnd.nextDouble();
      double ratio = Math.exp(logR);
      int tw = (int) Math.round(Math.sqrt(area * ratio));
      int th = (int) Math.round(Math.sqrt(area / ratio));
      if (tw >= 1 && th >= 1 && tw <= w && th <= h) {
        cw = tw;
        ch = th;
        break;
      }
    }
    if (cw == w && ch == h) {
      int side = Math.min(w, h); // fallback: a centre square
      cw = side;
      ch = side;
    }
    int x = rnd.nextInt(w - cw + 1);
    int y = rnd.nextInt(h - ch + 1);
    boolean flip = rnd.nextBoolean();
    return toTensor(draw(src, x, y, cw, ch, flip));
  }

  /** Evaluation tensor: the serving preprocessor ({@link ImagePreprocessor}). */
  public float[] eval(BufferedImage src) {
    return preprocessor.preprocess(src);
  }

  private BufferedImage draw(BufferedImage src, int x, int y, int cw, int ch, boolean flip) {
    int s = spec.size();
    BufferedImage out = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION,
          spec.resize() == ImageSpec.Resample.BICUBIC
              ? RenderingHints.VALUE_INTERPOLATION_BICUBIC
              : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      int dx1 = flip ? s : 0;
      int dx2 = flip ? 0 : s;
      g.drawImage(src, dx1, 0, dx2, s, x, y, x + cw, y + ch, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private float[] toTensor(BufferedImage img) {
    int s = spec.size();
    float[] mean = spec.mean();
    float[] std = spec.std();
    int[] rgb = img.getRGB(0, 0, s, s, null, 0, s);
    float[] out = new float[3 * s * s];
    int plane = s * s;
    for (int i = 0; i < plane; i++) {
      int p = rgb[i];
      out[i] = (((p >> 16) & 0xff) / 255f - mean[0]) / std[0];
      out[plane + i] = (((p >> 8) & 0xff) / 255f - mean[1]) / std[1];
      out[2 * plane + i] = ((p & 0xff) / 255f - mean[2]) / std[2];
    }
    return out;
  }
}
