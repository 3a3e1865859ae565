package dev.shopsearch.indexer.bench;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.text.ClipBpeTokenizerJson;
import dev.shopsearch.core.text.WordLevelTokenizerJson;
import dev.shopsearch.tooling.onnx.ClipBundleExporter;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.lucene.util.VectorUtil;

/** Helpers shared by the benchmark commands. */
final class BenchSupport {
  private BenchSupport() {}

  /**
   * A bundle directory: {@code bundle} when given, else a random-weight CLIP ({@code vitb32} =
   * ViT-B/32 at 224 px, 512-d; {@code tiny} = 32 px, 64-wide) exported into {@code scratch}.
   */
  static ModelBundle bundle(Path bundle, String random, Path scratch, Path shared)
      throws IOException {
    if (bundle != null) {
      return ModelBundle.load(bundle);
    }
    ClipConfig config =
        switch (random.toLowerCase(Locale.ROOT)) {
          case "vitb32" -> ClipConfig.vitB32();
          case "tiny" -> ClipConfig.tiny(1000);
          default ->
              throw new IllegalArgumentException(
                  "--random must be vitb32 or tiny; got '" + random + "'");
        };
    Path bpe = shared.resolve("tokenizers/clip/bpe_simple_vocab_16e6.txt.gz");
    String tokenizer;
    int maxLength;
    if (config.text().vocabSize() >= ClipBpeTokenizerJson.VOCAB_SIZE && Files.isRegularFile(bpe)) {
      tokenizer = ClipBpeTokenizerJson.fromBpeVocab(bpe);
      maxLength = ClipBpeTokenizerJson.CONTEXT_LENGTH;
    } else {
      tokenizer = WordLevelTokenizerJson.build(List.of("red", "blue", "shirt", "dress"), 1, 1000);
      maxLength = Math.min(32, config.text().contextLength());
    }
    Files.createDirectories(scratch);
    return ClipBundleExporter.export(
        scratch.resolve("bundle-" + random),
        config,
        ClipWeights.random(config, 42),
        tokenizer.getBytes(StandardCharsets.UTF_8),
        "bench-" + random + "-random",
        "1",
        Map.of("purpose", "benchmark"),
        new TextSpec("tokenizer.json", maxLength, true),
        ImageSpec.clip(config.image().imageSize()));
  }

  /** {@code n} unit vectors around {@code clusters} random unit centres (gaussian spread). */
  static float[][] clustered(long seed, int n, int dim, int clusters, double spread) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[][] centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = unit(gaussian(rnd, dim, 1));
    }
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      float[] v = gaussian(rnd, dim, spread);
      float[] c = centres[rnd.nextInt(clusters)];
      for (int d = 0; d < dim; d++) {
        v[d] += c[d];
      }
      out[i] = unit(v);
    }
    return out;
  }

  static float[] gaussian(SplittableRandom rnd, int dim, double scale) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d += 2) {
      double u1 = Math.max(1e-12, rnd.nextDouble());
      double u2 = rnd.nextDouble();
      double r = Math.sqrt(-2 * Math.log(u1)) * scale;
      v[d] = (float) (r * Math.cos(2 * Math.PI * u2));
      if (d + 1 < dim) {
        v[d + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
      }
    }
    return v;
  }

  static float[] unit(float[] v) {
    return VectorUtil.l2normalize(v);
  }

  /** Nearest-rank percentile of unsorted values (copied and sorted). */
  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100 * s.length);
    return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
  }

  static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
