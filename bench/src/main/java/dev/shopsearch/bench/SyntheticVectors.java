package dev.shopsearch.bench;

import dev.shopsearch.core.catalog.Product;
import java.util.Random;
import org.apache.lucene.util.VectorUtil;

/**
 * The clustered unit vectors of {@link BenchSetup}'s synthetic products: {@code clusters} random
 * unit centres (seed 7), product {@code i} in a cluster drawn from its own seed, its one image
 * vector the centre plus Gaussian noise, normalised. Product {@code i}'s cluster and vector depend
 * only on {@code i}, the dimension and the cluster count (any slice on any thread, any backend gets
 * the same). Immutable, thread-safe.
 */
final class SyntheticVectors {
  private final int dim;
  private final float[][] centres;

  /** Product {@code i}'s cluster and image vector. */
  record Item(int cluster, float[] vector) {}

  SyntheticVectors(int dim, int clusters) {
    if (dim < 2 || clusters < 1) {
      throw new IllegalArgumentException(
          "need dim >= 2 and clusters >= 1; dim=" + dim + " clusters=" + clusters);
    }
    this.dim = dim;
    Random seeds = new Random(7);
    centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = unit(gaussian(seeds, dim, 1.0));
    }
  }

  int dim() {
    return dim;
  }

  /** Product {@code i}'s cluster and its image vector (unit norm). */
  Item item(int i) {
    Random r = new Random(1_000_003L * i);
    int c = r.nextInt(centres.length);
    return new Item(c, unit(add(centres[c], gaussian(r, dim, 0.35 / Math.sqrt(dim)))));
  }

  /** Product {@code i} itself ({@link BenchSetup#product}). */
  Product product(int i) {
    return BenchSetup.product(i, item(i).cluster());
  }

  /**
   * Query vector {@code q} of a query set: a random cluster's centre plus the products' noise,
   * normalised, from seed {@code seed} (disjoint from the products' seeds for seed &lt; 1,000,003).
   */
  float[] query(long seed, int q) {
    Random r = new Random(seed * 7_919L + q * 104_729L + 1);
    int c = r.nextInt(centres.length);
    return unit(add(centres[c], gaussian(r, dim, 0.35 / Math.sqrt(dim))));
  }

  private static float[] gaussian(Random r, int dim, double scale) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) (r.nextGaussian() * scale);
    }
    return v;
  }

  private static float[] add(float[] a, float[] b) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  private static float[] unit(float[] v) {
    return VectorUtil.l2normalize(v);
  }
}
