package dev.shopsearch.trainer.clip;

import java.util.Locale;

/**
 * Architecture of a CLIP dual encoder as the DJL trainer builds it (Hugging Face {@code CLIPModel}
 * layout: pre-LN transformer blocks, causal text tower pooled at the end-of-text token, ViT image
 * tower pooled at the class token, bias-free projections, learnable logit scale).
 *
 * @param vocabSize text vocabulary size
 * @param maxPositions text position embeddings (maximum sequence length)
 * @param textWidth text hidden width
 * @param textLayers text transformer blocks
 * @param textHeads text attention heads (must divide {@code textWidth})
 * @param textMlp text MLP hidden width
 * @param imageSize image side in pixels
 * @param patchSize patch side in pixels (must divide {@code imageSize})
 * @param visionWidth vision hidden width
 * @param visionLayers vision transformer blocks
 * @param visionHeads vision attention heads
 * @param visionMlp vision MLP hidden width
 * @param projectionDim embedding dimension of both towers
 * @param activation {@code quick_gelu} or {@code gelu}
 * @param layerNormEps layer-norm epsilon (CLIP: 1e-5)
 */
public record ClipArch(
    int vocabSize,
    int maxPositions,
    int textWidth,
    int textLayers,
    int textHeads,
    int textMlp,
    int imageSize,
    int patchSize,
    int visionWidth,
    int visionLayers,
    int visionHeads,
    int visionMlp,
    int projectionDim,
    String activation,
    double layerNormEps) {

  public ClipArch {
    positive("vocabSize", vocabSize, 10_000_000);
    positive("maxPositions", maxPositions, 8192);
    positive("textLayers", textLayers, 128);
    positive("visionLayers", visionLayers, 128);
    positive("projectionDim", projectionDim, 4096);
    positive("textMlp", textMlp, 65536);
    positive("visionMlp", visionMlp, 65536);
    heads("text", textWidth, textHeads);
    heads("vision", visionWidth, visionHeads);
    if (patchSize < 1 || imageSize < patchSize || imageSize % patchSize != 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "patchSize must divide imageSize; imageSize=%d patchSize=%d",
              imageSize,
              patchSize));
    }
    activation = activation == null ? "quick_gelu" : activation;
    if (!activation.equals("quick_gelu") && !activation.equals("gelu")) {
      throw new IllegalArgumentException(
          "activation must be quick_gelu or gelu; activation=" + activation);
    }
    if (!(layerNormEps > 0 && layerNormEps < 1e-2)) {
      throw new IllegalArgumentException("layerNormEps must be in (0, 0.01); was " + layerNormEps);
    }
  }

  /** Patches per image (without the class token). */
  public int patches() {
    int g = imageSize / patchSize;
    return g * g;
  }

  /** A tiny configuration for tests and demos. */
  public static ClipArch tiny(int vocabSize, int maxPositions, int imageSize, int patchSize) {
    return new ClipArch(
        vocabSize,
        maxPositions,
        64,
        2,
        4,
        128,
        imageSize,
        patchSize,
        64,
        2,
        4,
        128,
        64,
        "quick_gelu",
        1e-5);
  }

  private static void positive(String name, int value, int max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [1, %d]; %s=%d", name, max, name, value));
    }
  }

  private static void heads(String tower, int width, int heads) {
    if (width < 1 || heads < 1 || width % heads != 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s width must be a positive multiple of heads; width=%d heads=%d",
              tower,
              width,
              heads));
    }
  }
}
