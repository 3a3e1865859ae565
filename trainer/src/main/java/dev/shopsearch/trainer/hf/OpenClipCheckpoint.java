package dev.shopsearch.trainer.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.core.text.ClipBpeTokenizerJson;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An open_clip checkpoint directory (LAION layout, as open_clip's {@code push_to_hf_hub} writes
 * it): {@value OpenClipConfig#FILE}, {@value #WEIGHTS} (F32, F16 or BF16) and a tokenizer, imported
 * into the CLIP family by renaming open_clip's state dict onto {@link ClipWeights}' Hugging Face
 * names:
 *
 * <ul>
 *   <li>each block's fused {@code attn.in_proj_weight} {@code [3w, w]} / {@code in_proj_bias}
 *       {@code [3w]} (torch {@code nn.MultiheadAttention}: rows q, then k, then v) is split into
 *       {@code self_attn.q_proj/k_proj/v_proj}; {@code attn.out_proj} → {@code self_attn.out_proj};
 *       {@code ln_1/ln_2} → {@code layer_norm1/2}; {@code mlp.c_fc/c_proj} → {@code mlp.fc1/fc2};
 *   <li>{@code visual.proj} and {@code text_projection} are {@code [width, embed]} matrices applied
 *       as {@code x @ P}; Hugging Face stores {@code [embed, width]} Linear weights, so they are
 *       transposed;
 *   <li>{@code visual.conv1}, {@code class_embedding}, {@code positional_embedding}, {@code
 *       ln_pre}, {@code ln_post}, {@code token_embedding}, {@code ln_final} and {@code logit_scale}
 *       are renamed; the text tower sits at the top level, or under {@code text.} with {@code
 *       custom_text}.
 * </ul>
 *
 * open_clip pools the text at the arg-max token id (the end-of-text token, CLIP BPE's highest id)
 * and the bundle at the last unpadded position; with CLIP's tokenizer, which ends every sequence
 * with end-of-text, these are the same token.
 *
 * <p>Tokenizer, in this order: the directory's {@code tokenizer.json} (hub repositories made by
 * {@code push_to_hf_hub} ship one); else, unless {@code text_cfg.hf_tokenizer_name} names another
 * tokenizer, OpenAI CLIP's BPE merges ({@value #BPE}, open_clip's default tokenizer) in the
 * directory or given by the caller (e.g. {@code ../shared/tokenizers/clip/}), from which core's
 * {@link ClipBpeTokenizerJson} builds the {@code tokenizer.json}.
 *
 * @param dir the directory
 * @param config the parsed {@value OpenClipConfig#FILE}
 * @param weights the weights, renamed
 * @param tokenizer a {@code tokenizer.json}, or CLIP BPE merges ({@value #BPE})
 */
public record OpenClipCheckpoint(
    Path dir, OpenClipConfig config, ClipWeights weights, Path tokenizer)
    implements ImportableCheckpoint {

  /** The weights file open_clip writes next to its config ({@code HF_SAFE_WEIGHTS_NAME}). */
  public static final String WEIGHTS = "open_clip_model.safetensors";

  /** The pickled weights file, which is not read ({@code HF_WEIGHTS_NAME}). */
  public static final String PICKLE = "open_clip_pytorch_model.bin";

  /** OpenAI CLIP's BPE merges, the file name open_clip ships them under. */
  public static final String BPE = "bpe_simple_vocab_16e6.txt.gz";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads a checkpoint directory.
   *
   * @param bpe CLIP BPE merges to use when the directory has neither {@code tokenizer.json} nor
   *     {@value #BPE}; may be {@code null}
   * @throws IOException if a file is missing or unreadable, or only {@value #PICKLE} is present
   *     (the message says how to convert it)
   * @throws HfFamily.UnsupportedFamilyException naming a setting that does not map onto CLIP
   * @throws IllegalArgumentException naming tensors that do not fit the configuration
   */
  public static OpenClipCheckpoint load(Path dir, Path bpe) throws IOException {
    Path cfgFile = dir.resolve(OpenClipConfig.FILE);
    if (!Files.isRegularFile(cfgFile)) {
      throw new IOException("open_clip checkpoint " + dir + " lacks " + OpenClipConfig.FILE);
    }
    OpenClipConfig config;
    try {
      config = OpenClipConfig.parse(JSON.readTree(cfgFile.toFile()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(cfgFile + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    Path weightsFile = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(weightsFile)) {
      if (Files.isRegularFile(dir.resolve(PICKLE))) {
        throw new IOException(
            "open_clip checkpoint "
                + dir
                + " holds only "
                + PICKLE
                + " (a Python pickle, which is not loaded here); convert it to "
                + WEIGHTS
                + " where torch is installed: python -c \"import torch, safetensors.torch as st;"
                + " sd = torch.load('"
                + PICKLE
                + "', map_location='cpu', weights_only=True); st.save_file({k: v.contiguous() for"
                + " k, v in sd.items()}, '"
                + WEIGHTS
                + "')\"");
      }
      throw new IOException("open_clip checkpoint " + dir + " lacks " + WEIGHTS);
    }
    Path tokenizer = tokenizer(dir, config, bpe);
    ClipWeights weights = readWeights(weightsFile, config);
    return new OpenClipCheckpoint(dir, config, weights, tokenizer);
  }

  private static Path tokenizer(Path dir, OpenClipConfig config, Path bpe) throws IOException {
    Path json = dir.resolve("tokenizer.json");
    if (Files.isRegularFile(json)) {
      return json;
    }
    if (config.hfTokenizerName() != null) {
      throw new IOException(
          "open_clip checkpoint "
              + dir
              + " lacks tokenizer.json, which text_cfg.hf_tokenizer_name '"
              + config.hfTokenizerName()
              + "' refers to (pull it from that repository)");
    }
    Path merges = Files.isRegularFile(dir.resolve(BPE)) ? dir.resolve(BPE) : bpe;
    if (merges == null || !Files.isRegularFile(merges)) {
      throw new IOException(
          "open_clip checkpoint "
              + dir
              + " lacks tokenizer.json and "
              + BPE
              + (merges == null ? "" : " (and --bpe " + merges + " is not a file)")
              + "; pass --bpe ../shared/tokenizers/clip/"
              + BPE
              + " (OpenAI CLIP's BPE, open_clip's default tokenizer)");
    }
    int vocab = config.clip().text().vocabSize();
    if (vocab != ClipBpeTokenizerJson.VOCAB_SIZE) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "text_cfg.vocab_size=%d but CLIP's BPE (%s) has %d tokens; give the model's"
                  + " tokenizer.json",
              vocab,
              merges,
              ClipBpeTokenizerJson.VOCAB_SIZE));
    }
    return merges;
  }

  @Override
  public byte[] tokenizerJson(int maxLength) throws IOException {
    if (tokenizer.getFileName().toString().endsWith(".gz")) {
      return ClipBpeTokenizerJson.fromBpeVocab(tokenizer, maxLength)
          .getBytes(StandardCharsets.UTF_8);
    }
    return Files.readAllBytes(tokenizer);
  }

  /** The context length ({@code text_cfg.context_length}). */
  @Override
  public int defaultMaxLength() {
    return weights.config().text().contextLength();
  }

  /** From {@code preprocess_cfg} ({@link OpenClipConfig#imageSpec()}). */
  @Override
  public ImageSpec imageSpec() {
    return config.imageSpec();
  }

  /** How one open_clip tensor becomes Hugging Face ones. */
  private enum Op {
    COPY,
    TRANSPOSE,
    SPLIT_QKV,
    SCALAR
  }

  /** One open_clip tensor: its expected shape, target name (prefix for q/k/v) and operation. */
  private record Source(int[] shape, String target, Op op) {}

  /**
   * The open_clip state dict names of {@code config}, with their shapes and Hugging Face targets.
   */
  static Map<String, Source> sources(OpenClipConfig config) {
    ClipConfig c = config.clip();
    ClipConfig.TextTower t = c.text();
    ClipConfig.ImageTower v = c.image();
    Map<String, Source> m = new LinkedHashMap<>();
    String tp = config.customText() ? "text." : "";
    m.put(
        tp + "token_embedding.weight",
        new Source(
            new int[] {t.vocabSize(), t.width()},
            "text_model.embeddings.token_embedding.weight",
            Op.COPY));
    m.put(
        tp + "positional_embedding",
        new Source(
            new int[] {t.contextLength(), t.width()},
            "text_model.embeddings.position_embedding.weight",
            Op.COPY));
    blocks(m, tp + "transformer.resblocks.", "text_model.encoder.layers.", t.layers(), t.width());
    norm(m, tp + "ln_final", "text_model.final_layer_norm", t.width());
    m.put(
        tp + "text_projection",
        new Source(new int[] {t.width(), c.embedDim()}, "text_projection.weight", Op.TRANSPOSE));
    int p = v.patchSize();
    m.put(
        "visual.class_embedding",
        new Source(new int[] {v.width()}, "vision_model.embeddings.class_embedding", Op.COPY));
    m.put(
        "visual.conv1.weight",
        new Source(
            new int[] {v.width(), 3, p, p},
            "vision_model.embeddings.patch_embedding.weight",
            Op.COPY));
    m.put(
        "visual.positional_embedding",
        new Source(
            new int[] {v.numPositions(), v.width()},
            "vision_model.embeddings.position_embedding.weight",
            Op.COPY));
    norm(m, "visual.ln_pre", "vision_model.pre_layrnorm", v.width());
    blocks(
        m, "visual.transformer.resblocks.", "vision_model.encoder.layers.", v.layers(), v.width());
    norm(m, "visual.ln_post", "vision_model.post_layernorm", v.width());
    m.put(
        "visual.proj",
        new Source(new int[] {v.width(), c.embedDim()}, "visual_projection.weight", Op.TRANSPOSE));
    m.put("logit_scale", new Source(new int[] {}, "logit_scale", Op.SCALAR));
    return m;
  }

  private static void norm(Map<String, Source> m, String from, String to, int w) {
    m.put(from + ".weight", new Source(new int[] {w}, to + ".weight", Op.COPY));
    m.put(from + ".bias", new Source(new int[] {w}, to + ".bias", Op.COPY));
  }

  private static void blocks(Map<String, Source> m, String from, String to, int layers, int w) {
    for (int i = 0; i < layers; i++) {
      String f = from + i + ".";
      String h = to + i + ".";
      m.put(
          f + "attn.in_proj_weight",
          new Source(new int[] {3 * w, w}, h + "self_attn.", Op.SPLIT_QKV));
      m.put(f + "attn.in_proj_bias", new Source(new int[] {3 * w}, h + "self_attn.", Op.SPLIT_QKV));
      m.put(
          f + "attn.out_proj.weight",
          new Source(new int[] {w, w}, h + "self_attn.out_proj.weight", Op.COPY));
      m.put(
          f + "attn.out_proj.bias",
          new Source(new int[] {w}, h + "self_attn.out_proj.bias", Op.COPY));
      norm(m, f + "ln_1", h + "layer_norm1", w);
      norm(m, f + "ln_2", h + "layer_norm2", w);
      m.put(f + "mlp.c_fc.weight", new Source(new int[] {4 * w, w}, h + "mlp.fc1.weight", Op.COPY));
      m.put(f + "mlp.c_fc.bias", new Source(new int[] {4 * w}, h + "mlp.fc1.bias", Op.COPY));
      m.put(
          f + "mlp.c_proj.weight", new Source(new int[] {w, 4 * w}, h + "mlp.fc2.weight", Op.COPY));
      m.put(f + "mlp.c_proj.bias", new Source(new int[] {w}, h + "mlp.fc2.bias", Op.COPY));
    }
  }

  /**
   * Reads {@code file} and renames its tensors.
   *
   * @throws IllegalArgumentException listing missing, unexpected or misshapen open_clip tensors
   */
  static ClipWeights readWeights(Path file, OpenClipConfig config) throws IOException {
    Map<String, Source> sources = sources(config);
    List<String> problems = new ArrayList<>();
    for (String name : Safetensors.readHeader(file).tensors().keySet()) {
      // attn_mask: the causal mask buffer some exports persist; position_ids: HF buffers
      if (!sources.containsKey(name)
          && !name.endsWith("attn_mask")
          && !name.endsWith("position_ids")) {
        problems.add("unexpected " + name);
      }
    }
    Map<String, FloatTensor> raw = Safetensors.readFloats(file, sources::containsKey);
    Map<String, ClipWeights.Tensor> named = new LinkedHashMap<>();
    for (Map.Entry<String, Source> e : sources.entrySet()) {
      FloatTensor t = raw.get(e.getKey());
      Source s = e.getValue();
      if (t == null) {
        problems.add("missing " + e.getKey() + " " + Arrays.toString(s.shape()));
        continue;
      }
      long[] shape = t.shape();
      boolean scalarAsOne = s.op() == Op.SCALAR && shape.length == 1 && shape[0] == 1;
      if (!scalarAsOne
          && !Arrays.equals(shape, Arrays.stream(s.shape()).asLongStream().toArray())) {
        problems.add(
            e.getKey()
                + " has shape "
                + Arrays.toString(shape)
                + ", expected "
                + Arrays.toString(s.shape()));
        continue;
      }
      convert(s, t.data(), named);
    }
    if (!problems.isEmpty()) {
      int shown = Math.min(problems.size(), 20);
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s does not match %s (%d problems%s): %s",
              file.getFileName(),
              OpenClipConfig.FILE,
              problems.size(),
              shown < problems.size() ? ", first " + shown : "",
              String.join("; ", problems.subList(0, shown))));
    }
    return ClipWeights.of(config.clip(), named);
  }

  private static void convert(Source s, float[] d, Map<String, ClipWeights.Tensor> out) {
    int[] shape = s.shape();
    switch (s.op()) {
      case COPY -> out.put(s.target(), new ClipWeights.Tensor(shape, d));
      case SCALAR -> out.put(s.target(), new ClipWeights.Tensor(new int[0], d));
      case TRANSPOSE -> {
        int rows = shape[0];
        int cols = shape[1];
        float[] tr = new float[d.length];
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            tr[c * rows + r] = d[r * cols + c];
          }
        }
        out.put(s.target(), new ClipWeights.Tensor(new int[] {cols, rows}, tr));
      }
      case SPLIT_QKV -> {
        boolean bias = shape.length == 1;
        int part = d.length / 3;
        int[] partShape = bias ? new int[] {shape[0] / 3} : new int[] {shape[0] / 3, shape[1]};
        String[] names = {"q_proj", "k_proj", "v_proj"};
        for (int i = 0; i < 3; i++) {
          out.put(
              s.target() + names[i] + (bias ? ".bias" : ".weight"),
              new ClipWeights.Tensor(partShape, Arrays.copyOfRange(d, i * part, (i + 1) * part)));
        }
      }
    }
  }
}
