package dev.shopsearch.bench;

import java.util.Random;
import org.apache.lucene.util.VectorUtil;

/**
 * The synthetic image vectors of the service benchmarks ({@link BenchSetup} {@code index}): unit
 * vectors around {@code clusters} random unit centres (centres from seed 7), vector {@code i} drawn
 * from its own seed so that any slice can be generated on its own thread, gaussian noise of {@code
 * 0.35 / sqrt(dim)} per axis. Vectors past the indexed count come from the same clusters and serve
 * as queries that are not in the index. Immutable.
 */
final class ClusteredVectors {
  private final int dim;
  private final float[][] centres;

  /**
   * @param dim vector dimension, at least 1
   * @param clusters number of cluster centres, at least 1
   */
  ClusteredVectors(int dim, int clusters) {
    if (dim < 1 || clusters < 1) {
      throw new IllegalArgumentException(
          "dim and clusters must be >= 1; dim=" + dim + ", clusters=" + clusters);
    }
    this.dim = dim;
    Random seeds = new Random(7);
    centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = VectorUtil.l2normalize(gaussian(seeds, dim, 1.0));
    }
  }

  int dim() {
    return dim;
  }

  /** The cluster of vector {@code i}. */
  int cluster(int i) {
    return new Random(seed(i)).nextInt(centres.length);
  }

  /** Vector {@code i} (unit norm); the same for the same {@code i}, dimension and clusters. */
  float[] vector(int i) {
    Random r = new Random(seed(i));
    float[] centre = centres[r.nextInt(centres.length)];
    float[] noise = gaussian(r, dim, 0.35 / Math.sqrt(dim));
    float[] out = new float[dim];
    for (int d = 0; d < dim; d++) {
      out[d] = centre[d] + noise[d];
    }
    return VectorUtil.l2normalize(out);
  }

  /** Product {@code i} itself ({@link BenchSetup#product}), in the cluster of its vector. */
  dev.shopsearch.core.catalog.Product product(int i) {
    return BenchSetup.product(i, cluster(i));
  }

  /**
   * Query vector {@code q} of a query set: a random cluster's centre plus the products' noise,
   * normalised, from seed {@code seed} (disjoint from the products' seeds for seed &lt; 1,000,003).
   */
  float[] query(long seed, int q) {
    Random r = new Random(seed * 7_919L + q * 104_729L + 1);
    float[] centre = centres[r.nextInt(centres.length)];
    float[] noise = gaussian(r, dim, 0.35 / Math.sqrt(dim));
    float[] out = new float[dim];
    for (int d = 0; d < dim; d++) {
      out[d] = centre[d] + noise[d];
    }
    return VectorUtil.l2normalize(out);
  }

  private static long seed(int i) {
    return 1_000_003L * i;
  }

  private static float[] gaussian(Random r, int dim, double scale) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) (r.nextGaussian() * scale);
    }
    return v;
  }
}
