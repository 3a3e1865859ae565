package dev.shopsearch.tooling.demo;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.function.IntPredicate;

/** Pixel statistics for the demo image tests. */
final class Pixels {
  private Pixels() {}

  /** Whether the packed RGB is close to white (all channels ≥ 225, low saturation). */
  static boolean nearWhite(int rgb) {
    int r = (rgb >> 16) & 0xFF;
    int g = (rgb >> 8) & 0xFF;
    int b = rgb & 0xFF;
    return Math.min(r, Math.min(g, b)) >= 225;
  }

  /**
   * The dominant hue in degrees (centre of the fullest 10° bin) among the pixels with saturation ≥
   * 0.35 and brightness ≥ 0.2 that {@code select} accepts (by index {@code y * width + x}), or -1
   * when there are fewer than 20 such pixels.
   */
  static double dominantHue(BufferedImage image, IntPredicate select) {
    int[] bins = new int[36];
    int counted = 0;
    float[] hsb = new float[3];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (!select.test(y * image.getWidth() + x)) {
          continue;
        }
        int rgb = image.getRGB(x, y);
        Color.RGBtoHSB((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, hsb);
        if (hsb[1] >= 0.35f && hsb[2] >= 0.2f) {
          bins[Math.min(35, (int) (hsb[0] * 36))]++;
          counted++;
        }
      }
    }
    if (counted < 20) {
      return -1;
    }
    int best = 0;
    for (int i = 1; i < bins.length; i++) {
      if (bins[i] > bins[best]) {
        best = i;
      }
    }
    return best * 10 + 5;
  }

  /** Circular distance between two hues in degrees. */
  static double hueDistance(double a, double b) {
    double d = Math.abs(a - b) % 360;
    return Math.min(d, 360 - d);
  }

  /** Hue of a colour in degrees. */
  static double hue(Color c) {
    return Color.RGBtoHSB(c.getRed(), c.getGreen(), c.getBlue(), null)[0] * 360.0;
  }
}
