package dev.shopsearch.trainer.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import dev.shopsearch.tooling.onnx.ClipConfig;

/**
 * Forward pass of the CLIP family written from DJL NDArray operations over {@link ClipParameters}
 * (so {@code GradientCollector} can differentiate it). Numerically the same network as Hugging Face
 * {@code CLIPModel} and core's CLIP ONNX graph writer:
 *
 * <ul>
 *   <li>text: token + position embedding, pre-LN causal blocks, final layer norm, pooled at index
 *       {@code sum(attention_mask) - 1} (the end-of-text token of a right-padded sequence), {@code
 *       text_projection};
 *   <li>image: non-overlapping patch embedding (the {@code [width, 3, p, p]} conv as a matmul),
 *       class token, position embedding, {@code pre_layrnorm}, pre-LN blocks, {@code
 *       post_layernorm} on the class token, {@code visual_projection}.
 * </ul>
 *
 * <p>A Chinese-CLIP ({@link ClipConfig#bertText()}) has a BERT text tower instead: see {@link
 * #encodeText}. A SigLIP ({@link ClipConfig#isSiglip()}) has its own two towers, the same network
 * as Hugging Face {@code SiglipModel} and tooling's SigLIP graphs: text padded to {@code
 * contextLength} with the pad id, unmasked blocks, last position, {@code text_model.head}; image
 * with a biased patch embedding, no class token, attention-pooling head.
 *
 * <p>Outputs are unnormalised projected embeddings {@code [batch, projectionDim]}. Not thread-safe
 * (shares the parameter arrays).
 */
public final class DjlClip {

  private final ClipParameters p;
  private final ClipConfig a;

  public DjlClip(ClipParameters parameters) {
    this.p = parameters;
    this.a = parameters.config();
  }

  /** The parameters. */
  public ClipParameters parameters() {
    return p;
  }

  /**
   * Text embeddings.
   *
   * @param ids {@code [batch, seq]} int64 token ids, right-padded
   * @param mask {@code [batch, seq]} int64 attention mask (1 for real tokens, at least one; for a
   *     BERT text tower, token 0 must be real: it is the pooled {@code [CLS]})
   * @return {@code [batch, projectionDim]} float32, not normalised
   */
  public NDArray encodeText(NDArray ids, NDArray mask) {
    long b = ids.getShape().get(0);
    long len = ids.getShape().get(1);
    if (len > a.text().contextLength()) {
      throw new IllegalArgumentException(
          "sequence length " + len + " exceeds maxPositions " + a.text().contextLength());
    }
    if (a.bertText()) {
      return encodeBertText(ids, mask);
    }
    if (a.isSiglip()) {
      return encodeSiglipText(ids, mask);
    }
    NDManager m = ids.getManager();
    NDArray tok =
        Embedding.embedding(
                ids, p.get("text_model.embeddings.token_embedding.weight"), SparseFormat.DENSE)
            .singletonOrThrow();
    NDArray pos = p.get("text_model.embeddings.position_embedding.weight").get("0:" + len);
    NDArray x = tok.add(pos);
    NDArray causal = m.create(causalMask((int) len), new Shape(len, len));
    for (int i = 0; i < a.text().layers(); i++) {
      x = block(x, "text_model.encoder.layers." + i + ".", a.text().heads(), causal);
    }
    x = layerNorm(x, "text_model.final_layer_norm");
    NDArray eot = mask.sum(new int[] {1}).sub(1).toType(DataType.INT64, false);
    NDArray pick = eot.oneHot((int) len, DataType.FLOAT32).reshape(b, 1, len);
    NDArray pooled = pick.matMul(x).reshape(b, a.text().width());
    return pooled.matMul(p.get("text_projection.weight").transpose());
  }

  /**
   * Chinese-CLIP's BERT text tower ({@code ChineseCLIPModel.get_text_features} with {@code
   * token_type_ids} all zero): word + position + token-type-0 embeddings and their layer norm,
   * post-LN layers with padded keys masked out, the hidden state of token 0 ({@code [CLS]}), {@code
   * text_projection}.
   */
  private NDArray encodeBertText(NDArray ids, NDArray mask) {
    long len = ids.getShape().get(1);
    float eps = a.textLayerNormEps();
    String e = "text_model.embeddings.";
    NDArray x =
        Embedding.embedding(ids, p.get(e + "word_embeddings.weight"), SparseFormat.DENSE)
            .singletonOrThrow()
            .add(p.get(e + "position_embeddings.weight").get("0:" + len))
            .add(p.get(e + "token_type_embeddings.weight").get(0));
    x = layerNorm(x, e + "LayerNorm", eps);
    NDArray keyMask =
        mask.toType(DataType.FLOAT32, false)
            .sub(1f)
            .mul(1e9f)
            .reshape(ids.getShape().get(0), 1, 1, len);
    for (int i = 0; i < a.text().layers(); i++) {
      String l = "text_model.encoder.layer." + i + ".";
      String s = l + "attention.self.";
      NDArray attn =
          attention(
              x,
              new String[] {s + "query", s + "key", s + "value", l + "attention.output.dense"},
              a.text().heads(),
              keyMask);
      x = layerNorm(x.add(attn), l + "attention.output.LayerNorm", eps);
      NDArray h = activation(linear(x, l + "intermediate.dense"), a.textActivation());
      x = layerNorm(x.add(linear(h, l + "output.dense")), l + "output.LayerNorm", eps);
    }
    return x.get(":, 0, :").matMul(p.get("text_projection.weight").transpose());
  }

  /**
   * SigLIP's text tower ({@code SiglipModel.get_text_features} on ids padded to {@code
   * contextLength} with the pad id, no attention mask): positions with {@code mask = 0} and those
   * beyond {@code seq} carry the pad id; token + position embeddings, unmasked pre-LN blocks,
   * {@code final_layer_norm}, the last position, {@code text_model.head}.
   */
  private NDArray encodeSiglipText(NDArray ids, NDArray mask) {
    long b = ids.getShape().get(0);
    long len = ids.getShape().get(1);
    int ctx = a.text().contextLength();
    long pad = a.siglip().padId();
    NDArray full = ids.mul(mask).add(mask.neg().add(1L).mul(pad));
    if (len < ctx) {
      NDManager m = ids.getManager();
      long[] tail = new long[(int) (b * (ctx - len))];
      java.util.Arrays.fill(tail, pad);
      full = full.concat(m.create(tail, new Shape(b, ctx - len)), 1);
    }
    NDArray x =
        Embedding.embedding(
                full, p.get("text_model.embeddings.token_embedding.weight"), SparseFormat.DENSE)
            .singletonOrThrow()
            .add(p.get("text_model.embeddings.position_embedding.weight"));
    for (int i = 0; i < a.text().layers(); i++) {
      x = block(x, "text_model.encoder.layers." + i + ".", a.text().heads(), null);
    }
    x = layerNorm(x.get(":, " + (ctx - 1) + ", :"), "text_model.final_layer_norm");
    return linear(x, "text_model.head");
  }

  /**
   * Image embeddings.
   *
   * @param pixels {@code [batch, 3, size, size]} float32, normalised
   * @return {@code [batch, projectionDim]} float32, not normalised
   */
  public NDArray encodeImage(NDArray pixels) {
    Shape s = pixels.getShape();
    if (s.dimension() != 4
        || s.get(1) != 3
        || s.get(2) != a.image().imageSize()
        || s.get(3) != a.image().imageSize()) {
      throw new IllegalArgumentException(
          "pixels must be [batch, 3, "
              + a.image().imageSize()
              + ", "
              + a.image().imageSize()
              + "]; got "
              + s);
    }
    long b = s.get(0);
    int ps = a.image().patchSize();
    int g = a.image().imageSize() / ps;
    int w = a.image().width();
    NDArray patches =
        pixels
            .reshape(b, 3, g, ps, g, ps)
            .transpose(0, 2, 4, 1, 3, 5)
            .reshape(b, (long) g * g, 3L * ps * ps);
    NDArray kernel =
        p.get("vision_model.embeddings.patch_embedding.weight").reshape(w, 3L * ps * ps);
    NDArray x = patches.matMul(kernel.transpose());
    if (a.isSiglip()) {
      return encodeSiglipImage(
          x.add(p.get("vision_model.embeddings.patch_embedding.bias"))
              .add(p.get("vision_model.embeddings.position_embedding.weight")));
    }
    NDArray cls =
        p.get("vision_model.embeddings.class_embedding").reshape(1, 1, w).broadcast(b, 1, w);
    x = cls.concat(x, 1).add(p.get("vision_model.embeddings.position_embedding.weight"));
    x = layerNorm(x, "vision_model.pre_layrnorm");
    for (int i = 0; i < a.image().layers(); i++) {
      x = block(x, "vision_model.encoder.layers." + i + ".", a.image().heads(), null);
    }
    NDArray pooled = layerNorm(x.get(":, 0, :"), "vision_model.post_layernorm");
    return pooled.matMul(p.get("visual_projection.weight").transpose());
  }

  /**
   * SigLIP's image tower after the patch and position embeddings: blocks, {@code post_layernorm},
   * then {@code SiglipMultiheadAttentionPoolingHead}: the learned {@code probe} attends over all
   * patches ({@code torch.nn.MultiheadAttention}, fused {@code in_proj_weight} rows q, k, v, then
   * {@code out_proj}), and {@code h + mlp(layernorm(h))} is the embedding.
   */
  private NDArray encodeSiglipImage(NDArray x) {
    for (int i = 0; i < a.image().layers(); i++) {
      x = block(x, "vision_model.encoder.layers." + i + ".", a.image().heads(), null);
    }
    x = layerNorm(x, "vision_model.post_layernorm");
    long b = x.getShape().get(0);
    long len = x.getShape().get(1);
    int w = a.image().width();
    int heads = a.image().heads();
    long d = w / heads;
    String h = "vision_model.head.";
    NDArray in = p.get(h + "attention.in_proj_weight");
    NDArray inBias = p.get(h + "attention.in_proj_bias");
    NDArray q =
        p.get(h + "probe")
            .reshape(1, w)
            .matMul(in.get("0:" + w).transpose())
            .add(inBias.get("0:" + w))
            .mul((float) Math.pow(d, -0.5))
            .reshape(1, heads, 1, d)
            .broadcast(b, heads, 1, d);
    NDArray k =
        x.matMul(in.get(w + ":" + 2 * w).transpose())
            .add(inBias.get(w + ":" + 2 * w))
            .reshape(b, len, heads, d)
            .transpose(0, 2, 3, 1);
    NDArray v =
        x.matMul(in.get(2 * w + ":" + 3 * w).transpose())
            .add(inBias.get(2 * w + ":" + 3 * w))
            .reshape(b, len, heads, d)
            .transpose(0, 2, 1, 3);
    NDArray ctx = q.matMul(k).softmax(-1).matMul(v).reshape(b, w);
    NDArray attn = linear(ctx, h + "attention.out_proj");
    NDArray mlp = linear(layerNorm(attn, h + "layernorm"), h + "mlp.fc1");
    mlp = linear(activation(mlp, a.activation()), h + "mlp.fc2");
    return attn.add(mlp);
  }

  /** Current logit scale exp(logit_scale) as an array (differentiable). */
  public NDArray logitScale() {
    return p.get("logit_scale").exp();
  }

  /** L2-normalises rows: {@code x / sqrt(sum(x^2) + 1e-12)} (finite gradient even at zero). */
  public static NDArray normalize(NDArray x) {
    return x.div(x.square().sum(new int[] {-1}, true).add(1e-12f).sqrt());
  }

  private NDArray block(NDArray x, String prefix, int heads, NDArray attnMask) {
    NDArray h = layerNorm(x, prefix + "layer_norm1");
    String s = prefix + "self_attn.";
    x =
        x.add(
            attention(
                h,
                new String[] {s + "q_proj", s + "k_proj", s + "v_proj", s + "out_proj"},
                heads,
                attnMask));
    h = layerNorm(x, prefix + "layer_norm2");
    h = linear(h, prefix + "mlp.fc1");
    h = activation(h, a.activation());
    h = linear(h, prefix + "mlp.fc2");
    return x.add(h);
  }

  /** Self-attention; {@code names}: query, key, value and output linear prefixes. */
  private NDArray attention(NDArray x, String[] names, int heads, NDArray attnMask) {
    Shape s = x.getShape();
    long b = s.get(0);
    long len = s.get(1);
    long w = s.get(2);
    long d = w / heads;
    NDArray q = linear(x, names[0]).mul((float) Math.pow(d, -0.5));
    NDArray k = linear(x, names[1]);
    NDArray v = linear(x, names[2]);
    q = q.reshape(b, len, heads, d).transpose(0, 2, 1, 3);
    k = k.reshape(b, len, heads, d).transpose(0, 2, 3, 1);
    v = v.reshape(b, len, heads, d).transpose(0, 2, 1, 3);
    NDArray scores = q.matMul(k);
    if (attnMask != null) {
      scores = scores.add(attnMask);
    }
    NDArray out = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, len, w);
    return linear(out, names[3]);
  }

  private NDArray linear(NDArray x, String prefix) {
    return x.matMul(p.get(prefix + ".weight").transpose()).add(p.get(prefix + ".bias"));
  }

  private NDArray layerNorm(NDArray x, String prefix) {
    return layerNorm(x, prefix, a.layerNormEps());
  }

  private NDArray layerNorm(NDArray x, String prefix, float eps) {
    NDArray w = p.get(prefix + ".weight");
    return LayerNorm.layerNorm(x, w.getShape(), w, p.get(prefix + ".bias"), eps).singletonOrThrow();
  }

  private static NDArray activation(NDArray x, ClipConfig.Activation act) {
    if (act == ClipConfig.Activation.QUICK_GELU) {
      return x.mul(Activation.sigmoid(x.mul(1.702f)));
    }
    if (act == ClipConfig.Activation.GELU_TANH) {
      NDArray inner = x.add(x.pow(3f).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
      return x.mul(0.5f).mul(inner.tanh().add(1f));
    }
    return x.mul(0.5f).mul(x.mul((float) (1 / Math.sqrt(2))).erf().add(1f));
  }

  /** Additive causal mask: 0 on and below the diagonal, a large negative number above it. */
  static float[] causalMask(int len) {
    float[] m = new float[len * len];
    for (int i = 0; i < len; i++) {
      for (int j = i + 1; j < len; j++) {
        m[i * len + j] = -1e9f;
      }
    }
    return m;
  }
}
