package dev.shopsearch.core.index;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.bundle.TowerSpec;
import dev.shopsearch.core.catalog.Product;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.util.VectorUtil;

/** Small builders shared by the index tests. */
final class IndexTestData {
  private IndexTestData() {}

  static BundleManifest manifest(
      String name, String version, String hash, int dim, Similarity sim) {
    return new BundleManifest(
        name,
        version,
        hash,
        dim,
        sim,
        new TowerSpec("text.onnx", List.of("input_ids"), "text_embeds", Pooling.NONE, null),
        new TowerSpec("image.onnx", List.of("pixel_values"), "image_embeds", Pooling.NONE, null),
        new TextSpec("tokenizer.json", 77, true),
        ImageSpec.clip(224),
        Map.of());
  }

  static Product product(String id, int images) {
    List<String> refs =
        java.util.stream.IntStream.range(0, images)
            .mapToObj(i -> "images/" + id + "-" + i + ".jpg")
            .toList();
    return new Product(
        id,
        "Product " + id,
        "A description of " + id,
        List.of("Men / Tops / Hoodies & Sweatshirts"),
        "Blue",
        19.5,
        Boolean.TRUE,
        refs,
        Map.of("Gender", List.of("Men")),
        1);
  }

  /** {@code n} unit vectors around {@code clusters} random centres. */
  static float[][] clustered(Random rnd, int n, int dim, int clusters, float spread) {
    float[][] centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = unit(gaussian(rnd, dim, 1f));
    }
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      float[] v = gaussian(rnd, dim, spread);
      float[] centre = centres[rnd.nextInt(clusters)];
      for (int d = 0; d < dim; d++) {
        v[d] += centre[d];
      }
      out[i] = unit(v);
    }
    return out;
  }

  static float[] gaussian(Random rnd, int dim, float scale) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) rnd.nextGaussian() * scale;
    }
    return v;
  }

  static float[] unit(float[] v) {
    return VectorUtil.l2normalize(v);
  }
}
