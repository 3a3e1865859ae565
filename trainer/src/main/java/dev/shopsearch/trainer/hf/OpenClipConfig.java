package dev.shopsearch.trainer.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.tooling.onnx.ClipConfig;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An open_clip {@value #FILE} ({@code model_cfg} + {@code preprocess_cfg}, as open_clip's {@code
 * push_to_hf_hub} writes it) mapped onto the CLIP family: a plain ViT image tower ({@code
 * vision_cfg}: {@code layers} an integer, heads {@code width / head_width}, class-token pooling,
 * {@code ln_pre}, learnable positions) and open_clip's CLIP text transformer ({@code text_cfg}:
 * causal, pooled at the end-of-text token, bias-free {@code text_projection}), MLP ratio 4, layer
 * norms with eps 1e-5; {@code quick_gelu} selects QuickGELU (OpenAI weights), else exact GELU.
 *
 * <p>Every other setting must keep the value under which open_clip builds exactly that
 * architecture; a setting that changes the towers (a timm or ResNet image tower, an attentional
 * pooler, layer scale, a Hugging Face or "modern" text tower, a logit bias as in SigLIP, CoCa's
 * {@code multimodal_cfg}, ...) or a key this importer does not know is refused with one line naming
 * it. Settings that only matter for training or for other towers ({@code patch_dropout}, {@code
 * output_tokens}, {@code timm_*} without a timm model, {@code init_logit_scale}, ...) are ignored.
 *
 * @param clip the architecture
 * @param customText whether the text tower lives under {@code text.} ({@code custom_text}) rather
 *     than at the top level of the state dict
 * @param imageSpec the preprocessing from {@code preprocess_cfg} (CLIP's mean/std, bicubic,
 *     shortest-side resize and centre crop where it says nothing)
 * @param hfTokenizerName {@code text_cfg.hf_tokenizer_name} (the tokenizer is then that
 *     repository's {@code tokenizer.json}), or {@code null} for open_clip's default, OpenAI CLIP's
 *     BPE
 */
public record OpenClipConfig(
    ClipConfig clip, boolean customText, ImageSpec imageSpec, String hfTokenizerName) {

  /** The configuration file of an open_clip checkpoint directory. */
  public static final String FILE = "open_clip_config.json";

  private static final float LAYER_NORM_EPS = 1e-5f;

  /**
   * Parses {@value #FILE}.
   *
   * @throws HfFamily.UnsupportedFamilyException naming the first setting that does not map onto the
   *     CLIP family, or a malformed value
   */
  public static OpenClipConfig parse(JsonNode root) {
    JsonNode model = root.path("model_cfg");
    if (!model.isObject()) {
      throw refuse(FILE + " has no model_cfg object");
    }
    Section m = new Section("model_cfg", model);
    int embedDim = m.integer("embed_dim", -1);
    if (embedDim < 0) {
      throw refuse(FILE + " model_cfg.embed_dim is required");
    }
    boolean quickGelu = m.bool("quick_gelu", false);
    boolean customText = m.bool("custom_text", false);
    m.require(
        "init_logit_bias", JsonNode::isNull, "absent (a logit bias is SigLIP's sigmoid head)");
    m.require("multimodal_cfg", JsonNode::isNull, "absent (a CoCa/MaMMUT text decoder)");
    m.ignore("init_logit_scale", "nonscalar_logit_scale", "cast_dtype", "output_dict");
    JsonNode vision = model.path("vision_cfg");
    JsonNode text = model.path("text_cfg");
    m.ignore("vision_cfg", "text_cfg");
    m.rejectUnknown();
    ClipConfig.ImageTower image = imageTower(new Section("model_cfg.vision_cfg", vision));
    ClipConfig.TextTower textTower = textTower(new Section("model_cfg.text_cfg", text));
    String hfTokenizer =
        text.path("hf_tokenizer_name").isTextual() ? text.path("hf_tokenizer_name").asText() : null;
    ClipConfig clip;
    try {
      clip =
          new ClipConfig(
              textTower,
              image,
              embedDim,
              quickGelu ? ClipConfig.Activation.QUICK_GELU : ClipConfig.Activation.GELU,
              LAYER_NORM_EPS);
    } catch (IllegalArgumentException e) {
      throw refuse(FILE + " model_cfg: " + e.getMessage());
    }
    return new OpenClipConfig(
        clip, customText, imageSpec(root.path("preprocess_cfg"), image.imageSize()), hfTokenizer);
  }

  private static ClipConfig.ImageTower imageTower(Section v) {
    JsonNode layers = v.node.path("layers");
    if (layers.isArray()) {
      throw refuse(
          v.where("layers")
              + "="
              + layers
              + " (a ModifiedResNet image tower) is not supported; only a ViT (integer layers)");
    }
    v.require(
        "timm_model_name",
        JsonNode::isNull,
        "absent (timm towers: ConvNeXt, EVA, SigLIP ViTs, ... are not mapped onto CLIP)");
    int width = v.integer("width", 768);
    int headWidth = v.integer("head_width", 64);
    if (headWidth <= 0 || width % headWidth != 0) {
      throw refuse(
          String.format(
              Locale.ROOT,
              "%s=%d must divide %s=%d",
              v.where("head_width"),
              headWidth,
              v.where("width"),
              width));
    }
    v.require("mlp_ratio", n -> n.isNull() || n.asDouble() == 4.0, "4.0");
    int patch = v.integer("patch_size", 16);
    int size = squareSize(v, "image_size", 224);
    v.require("in_chans", n -> n.isNull() || n.asInt() == 3, "3");
    v.require("image_seq_len", JsonNode::isNull, "absent");
    v.require("ls_init_value", JsonNode::isNull, "null (no layer scale)");
    v.require("attentional_pool", n -> n.isNull() || n.isBoolean() && !n.asBoolean(), "false");
    v.require("no_ln_pre", n -> n.isNull() || n.isBoolean() && !n.asBoolean(), "false");
    v.require("pos_embed_type", n -> n.isNull() || n.asText().equals("learnable"), "learnable");
    v.require("final_ln_after_pool", n -> n.isNull() || n.isBoolean() && !n.asBoolean(), "false");
    v.require("pool_type", n -> n.isNull() || n.asText().equals("tok"), "tok (class token)");
    commonBlockSettings(v);
    v.ignore(
        "layers",
        "patch_dropout",
        "output_tokens",
        "attn_pooler_queries",
        "attn_pooler_heads",
        "timm_model_pretrained",
        "timm_pool",
        "timm_proj",
        "timm_proj_bias",
        "timm_drop",
        "timm_drop_path",
        "timm_model_kwargs");
    v.rejectUnknown();
    return guarded(
        () ->
            new ClipConfig.ImageTower(
                size, patch, width, v.integer("layers", 12), width / headWidth));
  }

  private static ClipConfig.TextTower textTower(Section t) {
    t.require(
        "hf_model_name",
        JsonNode::isNull,
        "absent (a Hugging Face text tower such as RoBERTa or mT5 is not mapped onto CLIP)");
    t.require("text_arch", n -> n.isNull() || n.asText().equals("clip"), "clip");
    t.require("variable_text", n -> n.isNull() || n.isBoolean() && !n.asBoolean(), "false");
    t.require("mlp_ratio", n -> n.isNull() || n.asDouble() == 4.0, "4.0");
    t.require("ls_init_value", JsonNode::isNull, "null (no layer scale)");
    t.require("embed_cls", n -> n.isNull() || n.isBoolean() && !n.asBoolean(), "false");
    t.require("no_causal_mask", n -> n.isNull() || n.isBoolean() && !n.asBoolean(), "false");
    t.require("final_ln_after_pool", n -> n.isNull() || n.isBoolean() && !n.asBoolean(), "false");
    t.require(
        "pool_type",
        n -> n.isNull() || n.asText().equals("argmax"),
        "argmax (the end-of-text token; 'last' and 'eos' are SigLIP-style)");
    t.require("proj_bias", n -> n.isNull() || n.isBoolean() && !n.asBoolean(), "false");
    t.require("proj_type", n -> n.isNull() || n.asText().equals("linear"), "linear");
    t.require(
        "tokenizer_type", n -> n.isNull() || n.asText().isEmpty(), "'' (the CLIP or HF tokenizer)");
    t.require("tokenizer_mode", JsonNode::isNull, "absent");
    t.require("tokenizer_kwargs", JsonNode::isNull, "absent (CLIP's text cleaning)");
    t.require("attention_bias", JsonNode::isNull, "absent");
    t.require("mlp_bias", JsonNode::isNull, "absent");
    t.require("gate_bias", JsonNode::isNull, "absent");
    commonBlockSettings(t);
    t.ignore(
        // token ids used only by other pool types
        "pad_id",
        "bos_id",
        "eos_id",
        "output_tokens",
        "tiktoken_name",
        "hf_tokenizer_name",
        // Hugging Face and "modern" text tower settings (those towers are refused above)
        "hf_model_pretrained",
        "hf_proj_type",
        "hf_pooler_type",
        "hf_model_config",
        "attention_mode",
        "pos_embed",
        "rope_temperature",
        "mlp_type",
        "norm_type",
        "norm_eps",
        "attn_gated",
        "pre_norm",
        "norm_placement",
        "zero_init_residual",
        "reg_tokens",
        "value_residual");
    int contextLength = t.integer("context_length", 77);
    int vocab = t.integer("vocab_size", 49408);
    int width = t.integer("width", 512);
    int heads = t.integer("heads", 8);
    int layers = t.integer("layers", 12);
    t.rejectUnknown();
    return guarded(() -> new ClipConfig.TextTower(vocab, contextLength, width, layers, heads));
  }

  /** Block variants both towers share; only open_clip's default residual block maps onto CLIP. */
  private static void commonBlockSettings(Section s) {
    s.require("act_kwargs", JsonNode::isNull, "absent (plain GELU or QuickGELU)");
    s.require("norm_kwargs", JsonNode::isNull, "absent (LayerNorm eps 1e-5)");
    s.require("block_type", n -> n.isNull() || n.asText().equals("default"), "default (or absent)");
    for (String flag :
        new String[] {
          "qk_norm",
          "scaled_cosine_attn",
          "scale_heads",
          "scale_attn_inner",
          "scale_attn",
          "scale_fc"
        }) {
      s.require(flag, n -> n.isNull() || n.isBoolean() && !n.asBoolean(), "false");
    }
  }

  /**
   * {@code preprocess_cfg}: {@code mean}, {@code std}, {@code interpolation} (bicubic, bilinear;
   * open_clip maps random to bicubic at inference) and {@code resize_mode} ({@code shortest}:
   * resize the shortest side and centre-crop; {@code squash}: resize to the square; {@code
   * longest}, which pads, is refused).
   */
  static ImageSpec imageSpec(JsonNode pre, int imageSize) {
    Section p = new Section("preprocess_cfg", pre);
    float[] mean = triple(p, "mean", ImageSpec.CLIP_MEAN);
    float[] std = triple(p, "std", ImageSpec.CLIP_STD);
    String interpolation = p.node.path("interpolation").asText("bicubic");
    ImageSpec.Resample resample =
        switch (interpolation) {
          case "bicubic", "random" -> ImageSpec.Resample.BICUBIC;
          case "bilinear" -> ImageSpec.Resample.BILINEAR;
          default ->
              throw refuse(
                  p.where("interpolation")
                      + "="
                      + interpolation
                      + " is not supported (bicubic, bilinear, random)");
        };
    String mode = p.node.path("resize_mode").asText("shortest");
    boolean crop =
        switch (mode) {
          case "shortest" -> true;
          case "squash" -> false;
          default ->
              throw refuse(
                  p.where("resize_mode")
                      + "="
                      + mode
                      + " is not supported (shortest: resize and centre-crop; squash: resize to"
                      + " the square)");
        };
    if (!p.node.path("size").isMissingNode() && !p.node.path("size").isNull()) {
      int size = squareSize(p, "size", imageSize);
      if (size != imageSize) {
        throw refuse(
            String.format(
                Locale.ROOT,
                "%s=%d differs from model_cfg.vision_cfg.image_size=%d",
                p.where("size"),
                size,
                imageSize));
      }
    }
    p.require("mode", n -> n.isNull() || n.asText().equals("RGB"), "RGB");
    return new ImageSpec(imageSize, resample, crop, mean, std);
  }

  private static float[] triple(Section s, String key, float[] dflt) {
    JsonNode n = s.node.path(key);
    if (n.isMissingNode() || n.isNull()) {
      return dflt.clone();
    }
    if (!n.isArray() || n.size() != 3 || !n.get(0).isNumber()) {
      throw refuse(s.where(key) + " must be 3 numbers (R, G, B); was " + n);
    }
    return new float[] {
      (float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()
    };
  }

  private static int squareSize(Section s, String key, int dflt) {
    s.seen.add(key);
    JsonNode n = s.node.path(key);
    if (n.isArray()) {
      if (n.size() != 2 || n.get(0).asInt() != n.get(1).asInt() || !n.get(0).canConvertToInt()) {
        throw refuse(s.where(key) + "=" + n + " is not supported; only square images");
      }
      return n.get(0).asInt();
    }
    return s.integer(key, dflt);
  }

  private static <T> T guarded(java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw refuse(FILE + ": " + e.getMessage());
    }
  }

  private static HfFamily.UnsupportedFamilyException refuse(String message) {
    return new HfFamily.UnsupportedFamilyException(message);
  }

  /** One object of the config: reads keys, remembering which it has seen. */
  private static final class Section {
    private final String name;
    private final JsonNode node;
    private final Set<String> seen = new HashSet<>();

    Section(String name, JsonNode node) {
      if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
        throw refuse(FILE + " " + name + " must be an object; was " + node);
      }
      this.name = name;
      this.node = node;
    }

    String where(String key) {
      return FILE + " " + name + "." + key;
    }

    int integer(String key, int dflt) {
      seen.add(key);
      JsonNode n = node.path(key);
      if (n.isMissingNode() || n.isNull()) {
        return dflt;
      }
      if (!n.canConvertToInt() || !n.isIntegralNumber()) {
        throw refuse(where(key) + " must be an integer; was " + n);
      }
      return n.asInt();
    }

    boolean bool(String key, boolean dflt) {
      seen.add(key);
      JsonNode n = node.path(key);
      if (n.isMissingNode() || n.isNull()) {
        return dflt;
      }
      if (!n.isBoolean()) {
        throw refuse(where(key) + " must be true or false; was " + n);
      }
      return n.asBoolean();
    }

    /** Refuses {@code key} unless absent or {@code ok}; {@code ok} sees null for an absent key. */
    void require(String key, Predicate<JsonNode> ok, String accepted) {
      seen.add(key);
      JsonNode n = node.path(key);
      if (!ok.test(
          n.isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : n)) {
        throw refuse(
            where(key)
                + "="
                + n
                + " is not supported by the CLIP family import; accepted: "
                + accepted);
      }
    }

    void ignore(String... keys) {
      seen.addAll(java.util.List.of(keys));
    }

    void rejectUnknown() {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!seen.contains(key)) {
          throw refuse(
              where(key)
                  + "="
                  + node.get(key)
                  + " is not a setting this import knows; refusing rather than guessing what it"
                  + " changes");
        }
      }
    }
  }
}
