package dev.shopsearch.core.encode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.bundle.TowerSpec;
import dev.shopsearch.core.text.TestTokenizerJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

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
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    float inv = (float) (1 / Math.sqrt(s));
    float[] out = v.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= inv;
    }
    return out;
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
