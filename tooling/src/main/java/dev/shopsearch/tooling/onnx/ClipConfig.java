package dev.shopsearch.tooling.onnx;

import java.util.Locale;

/**
 * Architecture of a CLIP dual encoder (OpenAI CLIP / Hugging Face {@code CLIPModel} layout): a
 * causal pre-LN text transformer pooled at the end-of-text token, a pre-LN ViT pooled at the class
 * token, and two bias-free projections into a shared {@link #embedDim()} space.
 *
 * <p>With {@link #bert()} set the text tower is instead Chinese-CLIP's (Hugging Face {@code
 * ChineseCLIPModel}): a bidirectional post-LN BERT encoder (word + position + token-type
 * embeddings, embedding layer norm, padding masked out by {@code attention_mask}) whose text
 * feature is the last hidden state of the first ({@code [CLS]}) token through the bias-free {@code
 * text_projection}; the image tower is unchanged.
 *
 * <p>With {@link #siglip()} set both towers are SigLIP's (Hugging Face {@code SiglipModel}): a
 * bidirectional pre-LN text transformer without attention mask, run on ids padded to {@code
 * contextLength} with {@link Siglip#padId()} and pooled at the last position through the biased
 * {@code text_model.head}; a ViT with a biased patch convolution, no class token and no pre-LN,
 * pooled by the multi-head attention pooling head ({@code vision_model.head}). There are no
 * projections, so {@link #embedDim()} equals both widths. {@link #activation()} and {@link
 * #layerNormEps()} apply to both towers (SigLIP: {@code gelu_pytorch_tanh}, 1e-6).
 *
 * @param text text tower sizes
 * @param image image tower
 * @param embedDim dimension of the shared embedding space (projection output)
 * @param activation MLP activation of the image tower, and of the text tower unless {@link #bert()}
 * @param layerNormEps epsilon of the image tower's layer norms, and of the text tower's unless
 *     {@link #bert()}
 * @param bert the BERT text tower's own settings; {@code null} for CLIP's causal text tower
 * @param siglip SigLIP's settings; {@code null} unless both towers are SigLIP's
 */
public record ClipConfig(
    TextTower text,
    ImageTower image,
    int embedDim,
    Activation activation,
    float layerNormEps,
    BertText bert,
    Siglip siglip) {

  /** A CLIP with the causal CLIP text tower. */
  public ClipConfig(
      TextTower text, ImageTower image, int embedDim, Activation activation, float layerNormEps) {
    this(text, image, embedDim, activation, layerNormEps, null, null);
  }

  /** A CLIP with the given BERT text tower ({@code null}: CLIP's causal one); not a SigLIP. */
  public ClipConfig(
      TextTower text,
      ImageTower image,
      int embedDim,
      Activation activation,
      float layerNormEps,
      BertText bert) {
    this(text, image, embedDim, activation, layerNormEps, bert, null);
  }

  /**
   * SigLIP's settings beyond the sizes in {@link TextTower} and {@link ImageTower}.
   *
   * @param padId the id the text tower pads every sequence with up to {@code contextLength}
   *     (SigLIP's {@code pad_token_id}; {@code google/siglip-*}: 1, {@code </s>}); the model was
   *     trained on sequences padded to that length, pooled at the last position and never masked
   */
  public record Siglip(int padId) {
    public Siglip {
      if (padId < 0) {
        throw new IllegalArgumentException("siglip.padId must be >= 0; padId=" + padId);
      }
    }
  }

  /** Whether both towers are SigLIP's. */
  public boolean isSiglip() {
    return siglip != null;
  }

  /**
   * Rows of the image position embedding: patches, plus the class token unless {@link #isSiglip()}.
   */
  public int imagePositions() {
    int patches = image.gridSize() * image.gridSize();
    return siglip != null ? patches : patches + 1;
  }

  /**
   * Settings of a BERT text tower (Chinese-CLIP) beyond the sizes in {@link TextTower}, whose
   * {@code contextLength} is BERT's {@code max_position_embeddings}.
   *
   * @param typeVocabSize token-type embedding rows ({@code type_vocab_size}); inputs use type 0
   * @param activation MLP activation ({@code hidden_act}; Chinese-CLIP: {@code gelu})
   * @param layerNormEps epsilon of the text tower's layer norms (Chinese-CLIP: 1e-12)
   */
  public record BertText(int typeVocabSize, Activation activation, float layerNormEps) {
    public BertText {
      check("bert.typeVocabSize", typeVocabSize, 1, 1024);
      if (activation == null) {
        throw new IllegalArgumentException("bert.activation is required (QUICK_GELU, GELU)");
      }
      if (!(layerNormEps > 0f && layerNormEps < 1e-1f)) {
        throw new IllegalArgumentException(
            "bert.layerNormEps must be in (0, 0.1); layerNormEps=" + layerNormEps);
      }
    }
  }

  /** Whether the text tower is a BERT encoder (Chinese-CLIP) rather than CLIP's causal one. */
  public boolean bertText() {
    return bert != null;
  }

  /** The text tower's MLP activation. */
  public Activation textActivation() {
    return bert != null ? bert.activation() : activation;
  }

  /** The text tower's layer-norm epsilon. */
  public float textLayerNormEps() {
    return bert != null ? bert.layerNormEps() : layerNormEps;
  }

  /** MLP activation. */
  public enum Activation {
    /** {@code x * sigmoid(1.702 x)}, used by OpenAI CLIP. */
    QUICK_GELU,
    /** Exact GELU {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    GELU,
    /**
     * Tanh-approximated GELU {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}: Hugging
     * Face's {@code gelu_pytorch_tanh} (SigLIP).
     */
    GELU_TANH
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
    if (siglip != null) {
      if (bert != null) {
        throw new IllegalArgumentException("a SigLIP config cannot have a BERT text tower");
      }
      if (text.width() != embedDim || image.width() != embedDim) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "SigLIP has no projections: text.width, image.width and embedDim must be equal;"
                    + " text.width=%d image.width=%d embedDim=%d",
                text.width(),
                image.width(),
                embedDim));
      }
      if (siglip.padId() >= text.vocabSize()) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "siglip.padId must be < text.vocabSize (%d); padId=%d",
                text.vocabSize(),
                siglip.padId()));
      }
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

  /**
   * A tiny Chinese-CLIP for tests: {@link #tiny}'s sizes with a BERT text tower (2 token types,
   * GELU, layer-norm epsilon 1e-12 as in Chinese-CLIP).
   *
   * @param vocabSize tokenizer vocabulary size
   */
  public static ClipConfig tinyChineseClip(int vocabSize) {
    ClipConfig c = tiny(vocabSize);
    return new ClipConfig(
        c.text(),
        c.image(),
        c.embedDim(),
        c.activation(),
        c.layerNormEps(),
        new BertText(2, Activation.GELU, 1e-12f));
  }

  /**
   * A tiny SigLIP for tests: width 32 in both towers (= embedDim, as {@link #tiny}'s), 2 text and 2
   * image blocks, 4 heads, 32 px images with 8 px patches, context 16, {@code gelu_pytorch_tanh},
   * layer-norm epsilon 1e-6, pad id 1.
   *
   * @param vocabSize tokenizer vocabulary size
   */
  public static ClipConfig tinySiglip(int vocabSize) {
    return new ClipConfig(
        new TextTower(vocabSize, 16, 32, 2, 4),
        new ImageTower(32, 8, 32, 2, 4),
        32,
        Activation.GELU_TANH,
        1e-6f,
        null,
        new Siglip(1));
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [%d, %d]; %s=%d", name, min, max, name, value));
    }
  }
}
