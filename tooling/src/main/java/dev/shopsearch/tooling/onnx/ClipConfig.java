package dev.shopsearch.tooling.onnx;

import java.util.Locale;

/**
 * Architecture of a CLIP dual encoder (OpenAI CLIP / Hugging Face {@code CLIPModel} layout): a
 * causal pre-LN text transformer pooled at the end-of-text token, a pre-LN ViT pooled at the class
 * token, and two bias-free projections into a shared {@link #embedDim()} space.
 *
 * @param text text tower
 * @param image image tower
 * @param embedDim dimension of the shared embedding space (projection output)
 * @param activation MLP activation of both towers
 * @param layerNormEps epsilon of every layer norm
 */
public record ClipConfig(
    TextTower text, ImageTower image, int embedDim, Activation activation, float layerNormEps) {

  /** MLP activation. */
  public enum Activation {
    /** {@code x * sigmoid(1.702 x)}, used by OpenAI CLIP. */
    QUICK_GELU,
    /** Exact GELU {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    GELU
  }

  /**
   * Text tower.
   *
   * @param vocabSize token embedding rows; token ids must be in {@code [0, vocabSize)}
   * @param contextLength maximum sequence length (position embedding rows)
   * @param width hidden size
   * @param layers transformer blocks
   * @param heads attention heads; must divide {@code width}
   */
  public record TextTower(int vocabSize, int contextLength, int width, int layers, int heads) {
    public TextTower {
      check("text.vocabSize", vocabSize, 2, 1 << 22);
      check("text.contextLength", contextLength, 2, 8192);
      check("text.width", width, 1, 16384);
      check("text.layers", layers, 0, 256);
      check("text.heads", heads, 1, 256);
      if (width % heads != 0) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "text.width must be a multiple of text.heads; width=%d heads=%d",
                width,
                heads));
      }
    }

    /** Size of one attention head. */
    public int headDim() {
      return width / heads;
    }

    /** MLP hidden size (4 x width, as in CLIP). */
    public int mlpWidth() {
      return 4 * width;
    }
  }

  /**
   * Image tower (ViT).
   *
   * @param imageSize input height and width in pixels
   * @param patchSize patch edge in pixels; must divide {@code imageSize}
   * @param width hidden size
   * @param layers transformer blocks
   * @param heads attention heads; must divide {@code width}
   */
  public record ImageTower(int imageSize, int patchSize, int width, int layers, int heads) {
    public ImageTower {
      check("image.imageSize", imageSize, 1, 4096);
      check("image.patchSize", patchSize, 1, 4096);
      check("image.width", width, 1, 16384);
      check("image.layers", layers, 0, 256);
      check("image.heads", heads, 1, 256);
      if (imageSize % patchSize != 0) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "image.imageSize must be a multiple of image.patchSize; imageSize=%d patchSize=%d",
                imageSize,
                patchSize));
      }
      if (width % heads != 0) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "image.width must be a multiple of image.heads; width=%d heads=%d",
                width,
                heads));
      }
    }

    /** Patches per side. */
    public int gridSize() {
      return imageSize / patchSize;
    }

    /** Sequence length: patches plus the class token. */
    public int numPositions() {
      return gridSize() * gridSize() + 1;
    }

    /** Size of one attention head. */
    public int headDim() {
      return width / heads;
    }

    /** MLP hidden size (4 x width, as in CLIP). */
    public int mlpWidth() {
      return 4 * width;
    }
  }

  public ClipConfig {
    if (text == null || image == null) {
      throw new IllegalArgumentException("clip config needs both a text and an image tower");
    }
    check("embedDim", embedDim, 1, 16384);
    activation = activation == null ? Activation.QUICK_GELU : activation;
    if (!(layerNormEps > 0f && layerNormEps < 1e-1f)) {
      throw new IllegalArgumentException(
          "layerNormEps must be in (0, 0.1); layerNormEps=" + layerNormEps);
    }
  }

  /** OpenAI CLIP ViT-B/32 (about 151 M parameters). */
  public static ClipConfig vitB32() {
    return new ClipConfig(
        new TextTower(49408, 77, 512, 12, 8),
        new ImageTower(224, 32, 768, 12, 12),
        512,
        Activation.QUICK_GELU,
        1e-5f);
  }

  /**
   * A tiny CLIP for tests: width 64, 2 text and 2 image blocks, 4 heads, 32 px images with 8 px
   * patches, context 32, embedding dimension 32.
   *
   * @param vocabSize tokenizer vocabulary size
   */
  public static ClipConfig tiny(int vocabSize) {
    return new ClipConfig(
        new TextTower(vocabSize, 32, 64, 2, 4),
        new ImageTower(32, 8, 64, 2, 4),
        32,
        Activation.QUICK_GELU,
        1e-5f);
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [%d, %d]; %s=%d", name, min, max, name, value));
    }
  }
}
