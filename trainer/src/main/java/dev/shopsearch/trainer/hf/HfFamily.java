package dev.shopsearch.trainer.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The model families {@code trainer import-hf} knows, detected from a checkpoint directory's {@code
 * config.json} {@code model_type}, or, for a directory without {@code config.json}, from
 * open_clip's {@value OpenClipConfig#FILE}. All of them import; a family that is recognised but
 * cannot be imported says what is missing rather than failing with a stack trace (issue 15).
 */
public enum HfFamily {
  /** OpenAI-layout {@code CLIPModel}: imported and verified against transformers. */
  CLIP("clip", "CLIP", null),

  /**
   * Chinese-CLIP ({@code ChineseCLIPModel}): ViT image tower + BERT text tower (WordPiece, CLS
   * pooling); imported, verified DJL vs ONNX (transformers parity awaits its fixture).
   */
  CHINESE_CLIP("chinese_clip", "Chinese-CLIP", null),

  /**
   * SigLIP ({@code SiglipModel}): ViT with attention-pooling head, text pooled at the last of 64
   * padded positions, logit scale and bias, its SentencePiece {@code tokenizer.json}, resize
   * without crop and mean/std 0.5; imported and verified against transformers.
   */
  SIGLIP("siglip", "SigLIP", null),

  /**
   * An open_clip checkpoint ({@value OpenClipConfig#FILE}, LAION layout) whose towers are CLIP's:
   * mapped onto {@link #CLIP} by {@link OpenClipCheckpoint}. Not a {@code model_type}: detected
   * from the file when {@code config.json} is absent.
   */
  OPEN_CLIP("open_clip", "open_clip", null);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String modelType;
  private final String displayName;
  private final String missing;

  HfFamily(String modelType, String displayName, String missing) {
    this.modelType = modelType;
    this.displayName = displayName;
    this.missing = missing;
  }

  /** The {@code model_type} of {@code config.json}. */
  public String modelType() {
    return modelType;
  }

  /** Whether {@code import-hf} converts this family into a bundle today. */
  public boolean importable() {
    return missing == null;
  }

  /**
   * The {@code model_type} values this enum knows, comma-separated ({@link #OPEN_CLIP} has none).
   */
  public static String known() {
    return String.join(
        ", ",
        Arrays.stream(values()).filter(f -> f != OPEN_CLIP).map(HfFamily::modelType).toList());
  }

  /**
   * Detects the family of a Hugging Face checkpoint directory from its {@code config.json}.
   *
   * @throws IOException if both {@code config.json} and {@value OpenClipConfig#FILE} are missing,
   *     or {@code config.json} is unreadable
   * @throws UnsupportedFamilyException naming an unknown or missing {@code model_type} and the
   *     supported ones
   */
  public static HfFamily detect(Path dir) throws IOException {
    Path config = dir.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      if (Files.isRegularFile(dir.resolve(OpenClipConfig.FILE))) {
        return OPEN_CLIP;
      }
      throw new IOException(
          "Hugging Face checkpoint "
              + dir
              + " lacks config.json (needs "
              + HfClipCheckpoint.FILES
              + ", or "
              + OpenClipConfig.FILE
              + " and "
              + OpenClipCheckpoint.WEIGHTS
              + " for open_clip)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(config.toFile());
    } catch (IOException e) {
      throw new IOException(config + " is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode type = root.path("model_type");
    if (!type.isTextual()) {
      if (isClipModel(root)) {
        return CLIP; // older CLIPModel exports omit model_type
      }
      throw new UnsupportedFamilyException(
          config + " has no model_type; supported model types: " + known());
    }
    String t = type.asText();
    for (HfFamily f : values()) {
      if (f.modelType.equals(t)) {
        return f;
      }
    }
    throw new UnsupportedFamilyException(
        String.format(
            Locale.ROOT,
            "%s: model_type '%s' is not supported; supported model types: %s",
            config,
            t,
            known()));
  }

  /**
   * The Hugging Face family whose layout {@code c} has (an open_clip's towers are {@link #CLIP}'s):
   * what fine-tuned weights are written as.
   */
  public static HfFamily of(dev.shopsearch.tooling.onnx.ClipConfig c) {
    if (c.isSiglip()) {
      return SIGLIP;
    }
    return c.bertText() ? CHINESE_CLIP : CLIP;
  }

  /**
   * Checks that this family imports.
   *
   * @throws UnsupportedFamilyException saying what is missing for a recognised family
   */
  public void requireImportable() {
    if (!importable()) {
      throw new UnsupportedFamilyException(
          String.format(
              Locale.ROOT,
              "model_type '%s' (%s) is recognised but cannot be imported yet: %s",
              modelType,
              displayName,
              missing));
    }
  }

  private static boolean isClipModel(JsonNode root) {
    for (JsonNode a : root.path("architectures")) {
      if ("CLIPModel".equals(a.asText())) {
        return true;
      }
    }
    return false;
  }

  /** A checkpoint whose family {@code import-hf} does not (yet) convert. */
  public static final class UnsupportedFamilyException extends IllegalArgumentException {
    public UnsupportedFamilyException(String message) {
      super(message);
    }
  }
}
