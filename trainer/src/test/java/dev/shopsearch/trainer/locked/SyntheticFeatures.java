package dev.shopsearch.trainer.locked;

import java.util.Random;

/**
 * Seeded synthetic frozen features: each example has a random unit "text" feature and an "image"
 * feature that is a fixed random linear map of it plus noise, so heads can learn the pairing.
 */
final class SyntheticFeatures {

  private SyntheticFeatures() {}

  static Features make(int n, int imageWidth, int textWidth, double noise, long seed) {
    Random rnd = new Random(seed);
    Random map = new Random(1234); // the same map for every split
    float[][] a = new float[textWidth][imageWidth];
    for (float[] row : a) {
      for (int j = 0; j < imageWidth; j++) {
        row[j] = (float) map.nextGaussian();
      }
    }
    float[][] image = new float[n][];
    float[][][] captions = new float[n][][];
    int[] groups = new int[n];
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      float[] t = gaussian(rnd, textWidth);
      float[] x = new float[imageWidth];
      for (int k = 0; k < textWidth; k++) {
        for (int j = 0; j < imageWidth; j++) {
          x[j] += t[k] * a[k][j];
        }
      }
      for (int j = 0; j < imageWidth; j++) {
        x[j] += (float) (noise * rnd.nextGaussian() * Math.sqrt(textWidth));
      }
      image[i] = unit(x);
      captions[i] = new float[][] {unit(t)};
      groups[i] = i;
      index[i] = i;
    }
    return new Features(image, null, captions, groups, index, 0);
  }

  static float[] gaussian(Random rnd, int width) {
    float[] v = new float[width];
    for (int i = 0; i < width; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  static float[] unit(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f * f;
    }
    float inv = (float) (1 / Math.sqrt(s));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
