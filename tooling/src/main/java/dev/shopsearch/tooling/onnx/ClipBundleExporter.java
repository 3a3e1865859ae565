package dev.shopsearch.tooling.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.HfClipLayout;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.bundle.TextSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a CLIP model as a model bundle ({@link ModelBundle#write}): {@code text.onnx} and {@code
 * image.onnx} from {@link ClipGraphWriter}, the given {@code tokenizer.json}, and a manifest in the
 * {@link HfClipLayout} layout (text {@code [input_ids, attention_mask] -> text_embeds}, image
 * {@code pixel_values -> image_embeds}, both {@code Pooling.NONE}, cosine similarity, {@code dim =
 * embedDim}).
 *
 * <p>Before writing anything it checks that the pieces fit: the tokenizer's largest token id is
 * below {@code vocabSize}, {@code TextSpec.maxLength <= contextLength} and {@code ImageSpec.size ==
 * imageSize}. The architecture is recorded in the manifest metadata under {@code "clip"} next to
 * the caller's metadata. Stateless and thread-safe.
 */
public final class ClipBundleExporter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClipBundleExporter() {}

  /**
   * Exports a bundle.
   *
   * @param dir target directory (created; must not hold files that are not part of the bundle)
   * @param config architecture
   * @param weights weights for {@code config}
   * @param tokenizerJson Hugging Face {@code tokenizer.json} content
   * @param name model name
   * @param version model version
   * @param metadata free-form metadata to store (may be {@code null})
   * @param textSpec tokenizer settings; {@code tokenizer} must be {@code tokenizer.json}
   * @param imageSpec preprocessing; {@code size} must equal {@code config.image().imageSize()}
   * @return the written bundle
   * @throws IllegalArgumentException naming the value that does not fit
   */
  public static ModelBundle export(
      Path dir,
      ClipConfig config,
      ClipWeights weights,
      byte[] tokenizerJson,
      String name,
      String version,
      Map<String, Object> metadata,
      TextSpec textSpec,
      ImageSpec imageSpec) {
    if (!weights.config().equals(config)) {
      throw new IllegalArgumentException(
          "weights were made for " + weights.config() + ", not for " + config);
    }
    if (!HfClipLayout.TOKENIZER_FILE.equals(textSpec.tokenizer())) {
      throw new IllegalArgumentException(
          "textSpec.tokenizer must be "
              + HfClipLayout.TOKENIZER_FILE
              + "; was "
              + textSpec.tokenizer());
    }
    if (textSpec.maxLength() > config.text().contextLength()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "textSpec.maxLength must be <= text.contextLength (%d); maxLength=%d",
              config.text().contextLength(),
              textSpec.maxLength()));
    }
    if (imageSpec.size() != config.image().imageSize()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "imageSpec.size must equal image.imageSize (%d); size=%d",
              config.image().imageSize(),
              imageSpec.size()));
    }
    long maxId = maxTokenId(tokenizerJson);
    if (maxId >= config.text().vocabSize()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "tokenizer.json has token id %d but text.vocabSize is %d (ids must be < vocabSize)",
              maxId,
              config.text().vocabSize()));
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    if (metadata != null) {
      meta.putAll(metadata);
    }
    meta.put("layout", "hf-clip");
    meta.put("clip", describe(config, weights));
    BundleManifest manifest =
        new BundleManifest(
            name,
            version,
            null,
            config.embedDim(),
            Similarity.COSINE,
            HfClipLayout.textTower(),
            HfClipLayout.imageTower(),
            textSpec,
            imageSpec,
            meta);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(HfClipLayout.TEXT_FILE, ClipGraphWriter.textTower(config, weights));
    files.put(HfClipLayout.IMAGE_FILE, ClipGraphWriter.imageTower(config, weights));
    files.put(HfClipLayout.TOKENIZER_FILE, tokenizerJson.clone());
    return ModelBundle.write(dir, manifest, files);
  }

  /** The architecture as plain metadata values. */
  static Map<String, Object> describe(ClipConfig c, ClipWeights weights) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vocabSize", c.text().vocabSize());
    m.put("contextLength", c.text().contextLength());
    m.put("textWidth", c.text().width());
    m.put("textLayers", c.text().layers());
    m.put("textHeads", c.text().heads());
    m.put("imageSize", c.image().imageSize());
    m.put("patchSize", c.image().patchSize());
    m.put("imageWidth", c.image().width());
    m.put("imageLayers", c.image().layers());
    m.put("imageHeads", c.image().heads());
    if (c.bertText()) {
      m.put("textArchitecture", "bert");
      m.put("typeVocabSize", c.bert().typeVocabSize());
      m.put("textActivation", c.bert().activation().name());
      m.put("textLayerNormEps", Double.parseDouble(Float.toString(c.bert().layerNormEps())));
    }
    if (c.isSiglip()) {
      m.put("architecture", "siglip");
      m.put("padId", c.siglip().padId());
      m.put("logitBias", Double.parseDouble(Float.toString(weights.get("logit_bias").data()[0])));
    }
    m.put("embedDim", c.embedDim());
    m.put("activation", c.activation().name());
    m.put("layerNormEps", Double.parseDouble(Float.toString(c.layerNormEps())));
    m.put("logitScale", Double.parseDouble(Float.toString(weights.get("logit_scale").data()[0])));
    m.put("parameters", weights.parameterCount());
    return m;
  }

  /**
   * Largest id in {@code model.vocab} (a token-to-id object, or a Unigram's array of pieces whose
   * ids are their positions) and {@code added_tokens}.
   */
  static long maxTokenId(byte[] tokenizerJson) {
    JsonNode root;
    try {
      root = JSON.readTree(tokenizerJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("tokenizer.json is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode vocab = root.path("model").path("vocab");
    long max = -1;
    if (vocab.isArray() && !vocab.isEmpty()) {
      max = vocab.size() - 1; // Unigram: [piece, score] pairs, ids in order
    } else if (vocab.isObject() && !vocab.isEmpty()) {
      for (JsonNode id : vocab) {
        max = Math.max(max, id.asLong());
      }
    } else {
      throw new IllegalArgumentException(
          "tokenizer.json has no model.vocab (an object for a WordLevel, WordPiece or BPE model,"
              + " an array for a Unigram model)");
    }
    for (JsonNode added : root.path("added_tokens")) {
      max = Math.max(max, added.path("id").asLong());
    }
    return max;
  }
}
