package dev.shopsearch.trainer.locked;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.bundle.TowerSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a locked-tower model as a standard bundle: each trained head is appended to its frozen
 * tower's feature graph ({@link LockedGraphs#appendHead}), giving {@code image.onnx} ({@code
 * pixel_values} → {@code image_embeds}) and {@code text.onnx} ({@code input_ids}, {@code
 * attention_mask}, {@code token_type_ids} → {@code text_embeds}), both {@link Pooling#NONE}; plus
 * the tokenizer and {@code model.json}. Core's encoders load it like any other bundle.
 */
public final class LockedExporter {
  /** Model family recorded in the manifest metadata. */
  public static final String FAMILY = "locked-towers";

  private LockedExporter() {}

  /**
   * Exports to {@code dir}.
   *
   * @param metadata extra manifest metadata (e.g. recall); family and tower names are added
   */
  public static ModelBundle export(
      Path dir,
      FrozenTowers towers,
      LockedHeads heads,
      String name,
      String version,
      Map<String, Object> metadata) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "image.onnx",
        LockedGraphs.appendHead(
                towers.imageGraph(), heads.layers("image"), heads.skip("image"), "image_embeds")
            .toByteArray());
    files.put(
        "text.onnx",
        LockedGraphs.appendHead(
                towers.textGraph(), heads.layers("text"), heads.skip("text"), "text_embeds")
            .toByteArray());
    files.put("tokenizer.json", towers.tokenizerJson());
    Map<String, Object> meta = new LinkedHashMap<>(metadata);
    meta.put("family", FAMILY);
    meta.put("imageMidChannels", java.util.Arrays.toString(towers.midChannels()));
    meta.put("imageRegions", towers.regions());
    meta.put(
        "imageTower",
        towers.colourGrid() == 0
            ? "mobilenetv2-12-int8 (frozen, pooled 1280-d)"
            : "mobilenetv2-12-int8 (frozen, pooled 1280-d) + "
                + towers.colourGrid()
                + "x"
                + towers.colourGrid()
                + " colour layout");
    meta.put("textTower", "all-MiniLM-L6-v2 quantised (frozen, mean-pooled 384-d)");
    meta.put("head", describe(heads.config()));
    meta.put("temperature", heads.temperature());
    BundleManifest manifest =
        new BundleManifest(
            name,
            version,
            null,
            heads.config().dim(),
            Similarity.COSINE,
            new TowerSpec(
                "text.onnx",
                List.of("input_ids", "attention_mask", "token_type_ids"),
                "text_embeds",
                Pooling.NONE,
                null),
            new TowerSpec(
                "image.onnx", List.of(LockedGraphs.PIXELS), "image_embeds", Pooling.NONE, null),
            FrozenTowers.TEXT_SPEC,
            FrozenTowers.IMAGE_SPEC,
            meta);
    return ModelBundle.write(dir, manifest, files);
  }

  /** "linear", "mlp-512" or "residual-mlp-512". */
  static String describe(LockedHeads.Config c) {
    if (c.hidden() == 0) {
      return "linear";
    }
    return (c.residual() ? "residual-mlp-" : "mlp-") + c.hidden();
  }
}
