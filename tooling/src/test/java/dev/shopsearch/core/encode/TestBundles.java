package dev.shopsearch.core.encode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.HfClipLayout;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.bundle.TowerSpec;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.core.text.TestTokenizerJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.util.VectorUtil;

/** Writes small bundles from {@link TestGraphs} and computes reference outputs with raw ORT. */
final class TestBundles {
  static final List<String> WORDS =
      List.of(
          "a",
          "much",
          "longer",
          "text",
          "about",
          "red",
          "leather",
          "handbags",
          "and",
          "shoes",
          "blue",
          "cotton",
          "shirt");
  static final int VOCAB = TestTokenizerJson.FIRST_WORD + WORDS.size();
  static final int IMAGE_SIZE = 8;

  private TestBundles() {}

  /** A bundle with the given towers; {@code extra} adds projection files. */
  static ModelBundle write(
      Path dir,
      int dim,
      TowerSpec text,
      byte[] textOnnx,
      TowerSpec image,
      byte[] imageOnnx,
      int maxLength,
      Map<String, byte[]> extra) {
    Map<String, byte[]> files = new HashMap<>(extra);
    files.put(text.file(), textOnnx);
    files.put(image.file(), imageOnnx);
    files.put(
        "tokenizer.json",
        TestTokenizerJson.wordLevel(WORDS, TestTokenizerJson.EOS).getBytes(StandardCharsets.UTF_8));
    BundleManifest manifest =
        new BundleManifest(
            "test",
            "1",
            null,
            dim,
            Similarity.COSINE,
            text,
            image,
            new TextSpec("tokenizer.json", maxLength, true),
            ImageSpec.clip(IMAGE_SIZE),
            Map.of());
    return ModelBundle.write(dir, manifest, files);
  }

  /** Text tower pooled in the graph ({@link TestGraphs#pooledText}), pooled image tower. */
  static ModelBundle pooledBundle(Path dir, int dim) {
    return write(
        dir,
        dim,
        HfClipLayout.textTower(),
        TestGraphs.pooledText(VOCAB, 16, dim, 11),
        HfClipLayout.imageTower(),
        TestGraphs.pooledImage(IMAGE_SIZE, dim, 12),
        77,
        Map.of());
  }

  /** Causal text tower, EOT pooling, projection [width=12, dim=8] from safetensors. */
  static ModelBundle causalBundle(Path dir) {
    int width = 12;
    int dim = 8;
    Random random = new Random(13);
    float[] w = new float[width * dim];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian();
    }
    byte[] projection =
        Safetensors.encode(Map.of("weight", new FloatTensor(new long[] {width, dim}, w)));
    return write(
        dir,
        dim,
        new TowerSpec(
            "text.onnx", List.of("input_ids"), "last_hidden_state", Pooling.EOT, "text_proj.st"),
        TestGraphs.causalHiddenText(VOCAB, width, 14),
        HfClipLayout.imageTower(),
        TestGraphs.pooledImage(IMAGE_SIZE, dim, 15),
        77,
        Map.of("text_proj.st", projection));
  }

  /** Image tower emitting patch states ({@link TestGraphs#hiddenImage}) pooled by the encoder. */
  static ModelBundle hiddenImageBundle(Path dir, Pooling pooling) {
    int width = 16; // 3 * 8 * 8 / 16 = 12 patches, symbolic in the graph
    return write(
        dir,
        width,
        HfClipLayout.textTower(),
        TestGraphs.pooledText(VOCAB, 8, width, 31),
        new TowerSpec("image.onnx", List.of("pixel_values"), "last_hidden_state", pooling, null),
        TestGraphs.hiddenImage(IMAGE_SIZE, width, 41),
        77,
        Map.of());
  }

  /** Runs a raw session on one unpadded row of int64 inputs; returns the flat float output. */
  static float[] rawRun(Path onnx, Map<String, long[]> inputs, String output) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
      Map<String, OnnxTensor> tensors = new HashMap<>();
      for (Map.Entry<String, long[]> e : inputs.entrySet()) {
        tensors.put(e.getKey(), OnnxTensor.createTensor(env, new long[][] {e.getValue()}));
      }
      try (OrtSession.Result r = session.run(tensors)) {
        return ((OnnxTensor) r.get(output).orElseThrow()).getFloatBuffer().array();
      } finally {
        tensors.values().forEach(OnnxTensor::close);
      }
    }
  }

  /** Runs a raw image session on one image; returns the flat float output. */
  static float[] rawRunImage(Path onnx, float[] pixels, int size, String output) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
        OnnxTensor t =
            OnnxTensor.createTensor(
                env, java.nio.FloatBuffer.wrap(pixels), new long[] {1, 3, size, size});
        OrtSession.Result r = session.run(Map.of("pixel_values", t))) {
      return ((OnnxTensor) r.get(output).orElseThrow()).getFloatBuffer().array();
    }
  }

  static float[] randomPixels(Random random) {
    float[] p = new float[3 * IMAGE_SIZE * IMAGE_SIZE];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) random.nextGaussian();
    }
    return p;
  }

  static float[] normalized(float[] v) {
    return VectorUtil.l2normalize(v.clone());
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
