package dev.shopsearch.core.bundle;

import java.util.List;
import java.util.Map;

/**
 * The common Hugging Face / optimum CLIP export layout, split into two tower files: the text tower
 * takes {@code input_ids} and {@code attention_mask} (int64 {@code [batch, seq]}) and outputs
 * projected {@code text_embeds [batch, dim]}; the image tower takes {@code pixel_values} (float
 * {@code [batch, 3, size, size]}) and outputs {@code image_embeds [batch, dim]}. Both use {@link
 * Pooling#NONE}: the graph already pools and projects; the encoders only L2-normalise.
 *
 * <p>optimum's single {@code model.onnx} (both towers in one graph) needs all three inputs at once;
 * export the towers separately ({@code CLIPTextModelWithProjection}, {@code
 * CLIPVisionModelWithProjection}) to get this layout.
 */
public final class HfClipLayout {
  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String PIXEL_VALUES = "pixel_values";
  public static final String TEXT_EMBEDS = "text_embeds";
  public static final String IMAGE_EMBEDS = "image_embeds";
  public static final String TEXT_FILE = "text.onnx";
  public static final String IMAGE_FILE = "image.onnx";
  public static final String TOKENIZER_FILE = "tokenizer.json";

  /** CLIP's context length. */
  public static final int CLIP_MAX_LENGTH = 77;

  private HfClipLayout() {}

  /**
   * Text tower: {@value #TEXT_FILE}, inputs {@code input_ids, attention_mask} → {@code
   * text_embeds}.
   */
  public static TowerSpec textTower() {
    return new TowerSpec(
        TEXT_FILE, List.of(INPUT_IDS, ATTENTION_MASK), TEXT_EMBEDS, Pooling.NONE, null);
  }

  /** Image tower: {@value #IMAGE_FILE}, input {@code pixel_values} → {@code image_embeds}. */
  public static TowerSpec imageTower() {
    return new TowerSpec(IMAGE_FILE, List.of(PIXEL_VALUES), IMAGE_EMBEDS, Pooling.NONE, null);
  }

  /**
   * A manifest for this layout with CLIP's text settings (lower-cased, {@value #CLIP_MAX_LENGTH}
   * tokens) and image preprocessing ({@link ImageSpec#clip(int)}), cosine similarity.
   *
   * @param dim projection dimension (e.g. 512 for ViT-B/32)
   * @param imageSize input image side (e.g. 224)
   */
  public static BundleManifest manifest(String name, String version, int dim, int imageSize) {
    return new BundleManifest(
        name,
        version,
        null,
        dim,
        Similarity.COSINE,
        textTower(),
        imageTower(),
        new TextSpec(TOKENIZER_FILE, CLIP_MAX_LENGTH, true),
        ImageSpec.clip(imageSize),
        Map.of("layout", "hf-clip"));
  }
}
