package dev.shopsearch.trainer.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.core.text.ChineseClipTokenizerJson;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Hugging Face {@code CLIPModel}, {@code ChineseCLIPModel} or {@code SiglipModel} checkpoint
 * directory: {@code config.json} ({@code text_config}, {@code vision_config}, {@code
 * projection_dim}), {@code model.safetensors} (F32, F16 or BF16; converted to float32) and {@code
 * tokenizer.json} — for Chinese-CLIP {@code tokenizer.json} or its {@code vocab.txt} (OFA-Sys ships
 * only the latter), from which {@link #tokenizerJson(int)} builds one.
 *
 * @param dir the directory
 * @param weights the weights (position-id buffers, a BERT pooler and other tensors the features do
 *     not use are ignored)
 * @param tokenizer path of {@code tokenizer.json}, or of a Chinese-CLIP {@code vocab.txt}
 * @param contextLength the text context length ({@code max_position_embeddings})
 */
public record HfClipCheckpoint(Path dir, ClipWeights weights, Path tokenizer, int contextLength)
    implements ImportableCheckpoint {

  /** Files a checkpoint directory must hold. */
  public static final List<String> FILES =
      List.of("config.json", "model.safetensors", "tokenizer.json");

  /**
   * The WordPiece vocabulary a Chinese-CLIP checkpoint may hold instead of {@code tokenizer.json}.
   */
  public static final String VOCAB_TXT = "vocab.txt";

  /** Chinese-CLIP's {@code model_type}. */
  static final String CHINESE_CLIP = "chinese_clip";

  /** SigLIP's {@code model_type}. */
  static final String SIGLIP = "siglip";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads a checkpoint directory.
   *
   * @throws IOException if a file is missing or unreadable
   * @throws IllegalArgumentException naming the field or tensor that does not fit a CLIP
   */
  public static HfClipCheckpoint load(Path dir) throws IOException {
    for (String f : FILES.subList(0, 2)) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new IOException(
            "Hugging Face CLIP checkpoint " + dir + " lacks " + f + " (needs " + FILES + ")");
      }
    }
    ClipConfig config = parseConfig(JSON.readTree(dir.resolve("config.json").toFile()));
    Path tokenizer = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizer) && config.bertText()) {
      tokenizer = dir.resolve(VOCAB_TXT);
    }
    if (!Files.isRegularFile(tokenizer) && config.isSiglip()) {
      throw new IOException(
          "SigLIP checkpoint "
              + dir
              + " lacks tokenizer.json (its SentencePiece tokenizer as a Hugging Face"
              + " tokenizer.json; a spiece.model alone is not converted: save the tokenizer with"
              + " a fast tokenizer first)");
    }
    if (!Files.isRegularFile(tokenizer)) {
      throw new IOException(
          "Hugging Face CLIP checkpoint "
              + dir
              + " lacks tokenizer.json"
              + (config.bertText() ? " and " + VOCAB_TXT : "")
              + " (needs "
              + FILES
              + (config.bertText() ? ", or " + VOCAB_TXT + " for Chinese-CLIP" : "")
              + ")");
    }
    Map<String, int[]> layout = ClipWeights.layout(config);
    Map<String, FloatTensor> raw =
        Safetensors.readFloats(dir.resolve("model.safetensors"), layout::containsKey);
    Map<String, ClipWeights.Tensor> named = new LinkedHashMap<>();
    raw.forEach((k, v) -> named.put(k, new ClipWeights.Tensor(toInt(k, v.shape()), v.data())));
    for (String scalar : List.of("logit_scale", "logit_bias")) {
      if (named.containsKey(scalar) && named.get(scalar).shape().length == 1) {
        // some exports (and every SigLIP) store the scalar as [1]
        named.put(scalar, new ClipWeights.Tensor(new int[0], named.get(scalar).data()));
      }
    }
    return new HfClipCheckpoint(
        dir, ClipWeights.of(config, named), tokenizer, config.text().contextLength());
  }

  /**
   * The token limit a bundle gets unless told otherwise: the context length for CLIP; for
   * Chinese-CLIP (whose {@code max_position_embeddings} is 512) its training length {@value
   * ChineseClipTokenizerJson#CONTEXT_LENGTH}, capped at the context length.
   */
  @Override
  public int defaultMaxLength() {
    return weights.config().bertText()
        ? Math.min(ChineseClipTokenizerJson.CONTEXT_LENGTH, contextLength)
        : contextLength;
  }

  /**
   * The {@code tokenizer.json} content: the file itself, or for a Chinese-CLIP {@code vocab.txt}
   * the WordPiece tokenizer core's {@link ChineseClipTokenizerJson} builds from it, truncating at
   * {@code maxLength} tokens.
   */
  @Override
  public byte[] tokenizerJson(int maxLength) throws IOException {
    if (tokenizer.getFileName().toString().equals(VOCAB_TXT)) {
      return ChineseClipTokenizerJson.fromVocab(tokenizer, maxLength)
          .getBytes(StandardCharsets.UTF_8);
    }
    return Files.readAllBytes(tokenizer);
  }

  /**
   * The image preprocessing: CLIP's ({@link ImageSpec#clip}) at the tower's size, except where a
   * {@code preprocessor_config.json} says otherwise: {@code "do_center_crop": false}
   * (Chinese-CLIP's) resizes to the square directly instead of cropping; {@code image_mean}, {@code
   * image_std} and {@code resample} (2 bilinear, 3 bicubic) are honoured.
   */
  @Override
  public ImageSpec imageSpec() throws IOException {
    if (weights.config().isSiglip()) {
      return siglipImageSpec();
    }
    ImageSpec clip = ImageSpec.clip(weights.config().image().imageSize());
    Path pre = dir.resolve("preprocessor_config.json");
    if (!Files.isRegularFile(pre)) {
      return clip;
    }
    JsonNode root = JSON.readTree(pre.toFile());
    return new ImageSpec(
        clip.size(),
        resample(pre, root, clip.resize()),
        root.path("do_center_crop").asBoolean(true),
        triple(root, "image_mean", clip.mean()),
        triple(root, "image_std", clip.std()));
  }

  /**
   * Writes {@code preprocessor_config.json} for {@code spec} into a checkpoint directory (what
   * {@link #imageSpec()} reads back: size, resample, centre crop, mean and std), so that a
   * fine-tuned checkpoint keeps the preprocessing it was trained with.
   */
  public static void writePreprocessor(Path dir, ImageSpec spec) throws IOException {
    var root = JSON.createObjectNode();
    root.put("do_resize", true);
    root.put("do_center_crop", spec.centerCrop());
    root.put("resample", spec.resize() == ImageSpec.Resample.BILINEAR ? 2 : 3);
    var size = root.putObject("size");
    size.put("height", spec.size());
    size.put("width", spec.size());
    var mean = root.putArray("image_mean");
    var std = root.putArray("image_std");
    for (int i = 0; i < 3; i++) {
      mean.add(spec.mean()[i]);
      std.add(spec.std()[i]);
    }
    Files.writeString(
        dir.resolve("preprocessor_config.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  private static ImageSpec.Resample resample(Path pre, JsonNode root, ImageSpec.Resample dflt) {
    JsonNode r = root.get("resample");
    if (r == null || r.isNull()) {
      return dflt;
    }
    return switch (r.asInt(-1)) {
      case 2 -> ImageSpec.Resample.BILINEAR;
      case 3 -> ImageSpec.Resample.BICUBIC;
      default ->
          throw new IllegalArgumentException(
              pre + ": resample " + r + " is not supported (2 bilinear, 3 bicubic)");
    };
  }

  /**
   * SigLIP's preprocessing ({@code SiglipImageProcessor}): resize straight to the square (no crop),
   * bicubic, mean and std 0.5. A {@code preprocessor_config.json} may set {@code image_mean},
   * {@code image_std} and {@code resample} (2 bilinear, 3 bicubic); its {@code size} must be the
   * tower's square.
   *
   * @throws IllegalArgumentException naming the field whose value the bundle cannot honour
   */
  private ImageSpec siglipImageSpec() throws IOException {
    int size = weights.config().image().imageSize();
    float[] mean = {0.5f, 0.5f, 0.5f};
    float[] std = {0.5f, 0.5f, 0.5f};
    ImageSpec.Resample resample = ImageSpec.Resample.BICUBIC;
    Path pre = dir.resolve("preprocessor_config.json");
    if (Files.isRegularFile(pre)) {
      JsonNode root = JSON.readTree(pre.toFile());
      mean = triple(root, "image_mean", mean);
      std = triple(root, "image_std", std);
      resample = resample(pre, root, resample);
      JsonNode sz = root.path("size");
      for (String side : List.of("height", "width")) {
        JsonNode v = sz.get(side);
        if (v != null && v.asInt() != size) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "%s: size.%s=%d but vision_config.image_size=%d (the bundle resizes to the"
                      + " tower's square)",
                  pre,
                  side,
                  v.asInt(),
                  size));
        }
      }
      if (!root.path("do_resize").asBoolean(true)) {
        throw new IllegalArgumentException(pre + ": do_resize false is not supported");
      }
    }
    return new ImageSpec(size, resample, false, mean, std);
  }

  private static float[] triple(JsonNode root, String field, float[] dflt) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isArray() || n.size() != 3) {
      throw new IllegalArgumentException(field + " must be 3 numbers; was " + n);
    }
    return new float[] {
      (float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()
    };
  }

  private static int[] toInt(String name, long[] shape) {
    int[] s = new int[shape.length];
    for (int i = 0; i < s.length; i++) {
      if (shape[i] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("tensor " + name + " dimension too large: " + shape[i]);
      }
      s[i] = (int) shape[i];
    }
    return s;
  }

  /**
   * Maps Hugging Face {@code CLIPConfig} JSON to {@link ClipConfig}.
   *
   * @throws IllegalArgumentException naming the field when it is missing or unsupported
   */
  public static ClipConfig parseConfig(JsonNode root) {
    JsonNode t = root.path("text_config");
    JsonNode v = root.path("vision_config");
    if (t.isMissingNode() || v.isMissingNode()) {
      throw new IllegalArgumentException(
          "config.json must have text_config and vision_config (a CLIPModel config)");
    }
    if (CHINESE_CLIP.equals(root.path("model_type").asText())) {
      return parseChineseClip(root, t, v);
    }
    if (SIGLIP.equals(root.path("model_type").asText())) {
      return parseSiglip(t, v);
    }
    int tw = req(t, "text_config", "hidden_size", 512);
    int vw = req(v, "vision_config", "hidden_size", 768);
    checkMlp("text_config", t, tw);
    checkMlp("vision_config", v, vw);
    String act = t.path("hidden_act").asText("quick_gelu");
    String vact = v.path("hidden_act").asText("quick_gelu");
    if (!act.equals(vact)) {
      throw new IllegalArgumentException(
          "text and vision hidden_act differ (" + act + " vs " + vact + "); not supported");
    }
    ClipConfig.Activation a = activation("text_config", act);
    return new ClipConfig(
        new ClipConfig.TextTower(
            req(t, "text_config", "vocab_size", 49408),
            req(t, "text_config", "max_position_embeddings", 77),
            tw,
            req(t, "text_config", "num_hidden_layers", 12),
            req(t, "text_config", "num_attention_heads", 8)),
        new ClipConfig.ImageTower(
            req(v, "vision_config", "image_size", 224),
            req(v, "vision_config", "patch_size", 32),
            vw,
            req(v, "vision_config", "num_hidden_layers", 12),
            req(v, "vision_config", "num_attention_heads", 12)),
        root.path("projection_dim").asInt(512),
        a,
        (float) t.path("layer_norm_eps").asDouble(1e-5));
  }

  /**
   * Chinese-CLIP: a BERT {@code text_config} (defaults of transformers' {@code
   * ChineseCLIPTextConfig}: vocabulary 30522, width 768, 12 layers and heads, 512 positions, 2
   * token types, {@code gelu}, layer-norm epsilon 1e-12) and a CLIP ViT {@code vision_config}.
   */
  private static ClipConfig parseChineseClip(JsonNode root, JsonNode t, JsonNode v) {
    int tw = req(t, "text_config", "hidden_size", 768);
    int vw = req(v, "vision_config", "hidden_size", 768);
    checkMlp("text_config", t, tw);
    checkMlp("vision_config", v, vw);
    String position = t.path("position_embedding_type").asText("absolute");
    if (!position.equals("absolute")) {
      throw new IllegalArgumentException(
          "text_config.position_embedding_type "
              + position
              + " is not supported (absolute, as in Chinese-CLIP)");
    }
    return new ClipConfig(
        new ClipConfig.TextTower(
            req(t, "text_config", "vocab_size", 30522),
            req(t, "text_config", "max_position_embeddings", 512),
            tw,
            req(t, "text_config", "num_hidden_layers", 12),
            req(t, "text_config", "num_attention_heads", 12)),
        new ClipConfig.ImageTower(
            req(v, "vision_config", "image_size", 224),
            req(v, "vision_config", "patch_size", 32),
            vw,
            req(v, "vision_config", "num_hidden_layers", 12),
            req(v, "vision_config", "num_attention_heads", 12)),
        root.path("projection_dim").asInt(512),
        activation("vision_config", v.path("hidden_act").asText("quick_gelu")),
        (float) v.path("layer_norm_eps").asDouble(1e-5),
        new ClipConfig.BertText(
            req(t, "text_config", "type_vocab_size", 2),
            activation("text_config", t.path("hidden_act").asText("gelu")),
            (float) t.path("layer_norm_eps").asDouble(1e-12)));
  }

  /**
   * SigLIP: defaults of transformers' {@code SiglipTextConfig} (vocabulary 32000, 64 positions, pad
   * id 1) and {@code SiglipVisionConfig} (224 px, 16 px patches); both towers width 768, 12 layers
   * and heads, {@code gelu_pytorch_tanh}, layer-norm epsilon 1e-6. Both widths must be equal (they
   * are the embedding dimension), as must both activations and epsilons; a vision tower without its
   * pooling head ({@code vision_use_head: false}) or a text head into another size ({@code
   * projection_size}) is refused.
   */
  private static ClipConfig parseSiglip(JsonNode t, JsonNode v) {
    int tw = req(t, "text_config", "hidden_size", 768);
    int vw = req(v, "vision_config", "hidden_size", 768);
    checkMlp("text_config", t, tw);
    checkMlp("vision_config", v, vw);
    if (!v.path("vision_use_head").asBoolean(true)) {
      throw new IllegalArgumentException(
          "vision_config.vision_use_head false is not supported (the image feature is the"
              + " attention-pooling head's output)");
    }
    int projection = req(t, "text_config", "projection_size", tw);
    if (projection != tw) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "text_config.projection_size=%d; only hidden_size (%d) is supported",
              projection,
              tw));
    }
    String act = t.path("hidden_act").asText("gelu_pytorch_tanh");
    String vact = v.path("hidden_act").asText("gelu_pytorch_tanh");
    double eps = t.path("layer_norm_eps").asDouble(1e-6);
    double veps = v.path("layer_norm_eps").asDouble(1e-6);
    if (!act.equals(vact) || eps != veps) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "text and vision hidden_act/layer_norm_eps differ (%s/%s vs %s/%s); not supported",
              act,
              eps,
              vact,
              veps));
    }
    return new ClipConfig(
        new ClipConfig.TextTower(
            req(t, "text_config", "vocab_size", 32000),
            req(t, "text_config", "max_position_embeddings", 64),
            tw,
            req(t, "text_config", "num_hidden_layers", 12),
            req(t, "text_config", "num_attention_heads", 12)),
        new ClipConfig.ImageTower(
            req(v, "vision_config", "image_size", 224),
            req(v, "vision_config", "patch_size", 16),
            vw,
            req(v, "vision_config", "num_hidden_layers", 12),
            req(v, "vision_config", "num_attention_heads", 12)),
        tw,
        activation("text_config", act),
        (float) eps,
        null,
        new ClipConfig.Siglip(req(t, "text_config", "pad_token_id", 1)));
  }

  private static ClipConfig.Activation activation(String where, String act) {
    return switch (act) {
      case "quick_gelu" -> ClipConfig.Activation.QUICK_GELU;
      case "gelu" -> ClipConfig.Activation.GELU;
      case "gelu_pytorch_tanh" -> ClipConfig.Activation.GELU_TANH;
      default ->
          throw new IllegalArgumentException(
              where
                  + ".hidden_act "
                  + act
                  + " is not supported (quick_gelu, gelu, gelu_pytorch_tanh)");
    };
  }

  private static String actName(ClipConfig.Activation a) {
    return switch (a) {
      case GELU -> "gelu";
      case GELU_TANH -> "gelu_pytorch_tanh";
      case QUICK_GELU -> "quick_gelu";
    };
  }

  private static void checkMlp(String where, JsonNode n, int width) {
    int mlp = n.path("intermediate_size").asInt(4 * width);
    if (mlp != 4 * width) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s.intermediate_size=%d; only 4 x hidden_size (%d) is supported",
              where,
              mlp,
              4 * width));
    }
  }

  /** HF configs may omit fields equal to the ViT-B/32 defaults; those defaults apply. */
  private static int req(JsonNode n, String where, String field, int dflt) {
    JsonNode f = n.get(field);
    if (f == null || f.isNull()) {
      return dflt;
    }
    if (!f.canConvertToInt()) {
      throw new IllegalArgumentException(where + "." + field + " must be an integer; was " + f);
    }
    return f.asInt();
  }

  /** Hugging Face {@code CLIPConfig} JSON for {@code c} (what {@link #parseConfig} reads back). */
  public static String configJson(ClipConfig c) {
    if (c.isSiglip()) {
      return siglipConfigJson(c);
    }
    var root = JSON.createObjectNode();
    root.putArray("architectures").add(c.bertText() ? "ChineseCLIPModel" : "CLIPModel");
    root.put("model_type", c.bertText() ? CHINESE_CLIP : "clip");
    root.put("projection_dim", c.embedDim());
    root.put("logit_scale_init_value", 2.6592);
    String act = actName(c.activation());
    var t = root.putObject("text_config");
    t.put("vocab_size", c.text().vocabSize());
    t.put("max_position_embeddings", c.text().contextLength());
    t.put("hidden_size", c.text().width());
    t.put("intermediate_size", c.text().mlpWidth());
    t.put("num_hidden_layers", c.text().layers());
    t.put("num_attention_heads", c.text().heads());
    t.put("hidden_act", actName(c.textActivation()));
    t.put("layer_norm_eps", c.textLayerNormEps());
    if (c.bertText()) {
      t.put("type_vocab_size", c.bert().typeVocabSize());
      t.put("position_embedding_type", "absolute");
    } else {
      t.put("projection_dim", c.embedDim());
    }
    var v = root.putObject("vision_config");
    v.put("image_size", c.image().imageSize());
    v.put("patch_size", c.image().patchSize());
    v.put("hidden_size", c.image().width());
    v.put("intermediate_size", c.image().mlpWidth());
    v.put("num_hidden_layers", c.image().layers());
    v.put("num_attention_heads", c.image().heads());
    v.put("hidden_act", act);
    v.put("layer_norm_eps", c.layerNormEps());
    v.put("projection_dim", c.embedDim());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hugging Face {@code SiglipConfig} JSON for a SigLIP {@code c}. */
  private static String siglipConfigJson(ClipConfig c) {
    var root = JSON.createObjectNode();
    root.putArray("architectures").add("SiglipModel");
    root.put("model_type", SIGLIP);
    String act = actName(c.activation());
    var t = root.putObject("text_config");
    t.put("model_type", "siglip_text_model");
    t.put("vocab_size", c.text().vocabSize());
    t.put("max_position_embeddings", c.text().contextLength());
    t.put("hidden_size", c.text().width());
    t.put("intermediate_size", c.text().mlpWidth());
    t.put("num_hidden_layers", c.text().layers());
    t.put("num_attention_heads", c.text().heads());
    t.put("hidden_act", act);
    t.put("layer_norm_eps", c.layerNormEps());
    t.put("pad_token_id", c.siglip().padId());
    var v = root.putObject("vision_config");
    v.put("model_type", "siglip_vision_model");
    v.put("image_size", c.image().imageSize());
    v.put("patch_size", c.image().patchSize());
    v.put("hidden_size", c.image().width());
    v.put("intermediate_size", c.image().mlpWidth());
    v.put("num_hidden_layers", c.image().layers());
    v.put("num_attention_heads", c.image().heads());
    v.put("hidden_act", act);
    v.put("layer_norm_eps", c.layerNormEps());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes {@code weights} as a Hugging Face checkpoint directory ({@code config.json}, {@code
   * model.safetensors}, a copy of {@code tokenizer.json}) that {@link #load} reads back; a
   * Chinese-CLIP's as {@code ChineseCLIPModel} ({@code model_type} {@code chinese_clip}).
   */
  public static void write(Path dir, ClipWeights weights, Path tokenizerJson) throws IOException {
    Files.createDirectories(dir);
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    weights.tensors().forEach((k, v) -> t.put(k, new FloatTensor(v.longShape(), v.data())));
    Safetensors.writeFloats(dir.resolve("model.safetensors"), t, Map.of("format", "pt"));
    Files.writeString(dir.resolve("config.json"), configJson(weights.config()));
    Files.copy(
        tokenizerJson,
        dir.resolve("tokenizer.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
