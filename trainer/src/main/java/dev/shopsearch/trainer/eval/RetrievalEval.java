package dev.shopsearch.trainer.eval;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.data.ImageStore;
import dev.shopsearch.trainer.train.Recall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrieval quality of a bundle as served: captions through the bundle's ONNX text encoder (its
 * tokenizer), photos through core's preprocessor and the ONNX image encoder. Each example is one
 * (photo, first caption) pair; a hit is any pair of the same group.
 */
public final class RetrievalEval {

  private RetrievalEval() {}

  /** Recall of {@code bundle} over {@code examples} (photos that fail to load are skipped). */
  public static Recall run(ModelBundle bundle, List<Example> examples, EncoderOptions options) {
    ImagePreprocessor pre = new ImagePreprocessor(bundle.manifest().imageSpec());
    List<float[]> img = new ArrayList<>();
    List<float[]> txt = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    Map<String, Integer> gIndex = new HashMap<>();
    try (TextEncoder te = Encoders.text(bundle, options);
        ImageEncoder ie = Encoders.image(bundle, options)) {
      int b = 32;
      for (int i = 0; i < examples.size(); i += b) {
        List<float[]> px = new ArrayList<>();
        List<String> caps = new ArrayList<>();
        for (Example e : examples.subList(i, Math.min(examples.size(), i + b))) {
          try {
            px.add(pre.preprocess(ImageStore.FILES.load(e.imageRef())));
          } catch (java.io.IOException | RuntimeException ex) {
            System.err.println("skipping image " + e.imageRef() + ": " + ex.getMessage());
            continue;
          }
          caps.add(e.captions().get(0));
          groups.add(gIndex.computeIfAbsent(e.group(), g -> gIndex.size()));
        }
        if (!px.isEmpty()) {
          img.addAll(ie.encode(px));
          txt.addAll(te.encode(caps));
        }
      }
    }
    return Recall.compute(
        img.toArray(float[][]::new),
        txt.toArray(float[][]::new),
        groups.stream().mapToInt(Integer::intValue).toArray());
  }

  /** One search hit. */
  public record Hit(Example example, float score) {}

  /**
   * Ranks the photos of {@code examples} for a text query through the bundle's encoders (a
   * brute-force stand-in for the index, for checking a model by hand).
   */
  public static List<Hit> search(
      ModelBundle bundle, List<Example> examples, String query, int k, EncoderOptions options) {
    ImagePreprocessor pre = new ImagePreprocessor(bundle.manifest().imageSpec());
    List<Hit> hits = new ArrayList<>();
    try (TextEncoder te = Encoders.text(bundle, options);
        ImageEncoder ie = Encoders.image(bundle, options)) {
      float[] q = te.encode(query);
      for (int i = 0; i < examples.size(); i += 32) {
        List<Example> chunk = new ArrayList<>();
        List<float[]> px = new ArrayList<>();
        for (Example e : examples.subList(i, Math.min(examples.size(), i + 32))) {
          try {
            px.add(pre.preprocess(ImageStore.FILES.load(e.imageRef())));
            chunk.add(e);
          } catch (java.io.IOException | RuntimeException ex) {
            System.err.println("skipping image " + e.imageRef() + ": " + ex.getMessage());
          }
        }
        if (px.isEmpty()) {
          continue;
        }
        List<float[]> emb = ie.encode(px);
        for (int j = 0; j < emb.size(); j++) {
          float s = 0;
          for (int d = 0; d < q.length; d++) {
            s += q[d] * emb.get(j)[d];
          }
          hits.add(new Hit(chunk.get(j), s));
        }
      }
    }
    hits.sort((x, y) -> Float.compare(y.score(), x.score()));
    return hits.subList(0, Math.min(k, hits.size()));
  }
}
