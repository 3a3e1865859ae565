package dev.shopsearch.core.encode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.text.BundleTokenizer;
import dev.shopsearch.core.text.TokenBatch;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link TextEncoder} running a bundle's text tower with ONNX Runtime.
 *
 * <p>Per call: tokenise with {@link BundleTokenizer} (right-padded to the batch's longest member,
 * never to {@code maxLength}), copy ids/mask into pooled direct buffers, run the session into a
 * pinned output buffer, pool per the tower's {@link Pooling} ({@code EOT}: position {@code
 * sum(mask) - 1}; {@code MEAN}: mask-weighted), project if the tower has a projection, and
 * L2-normalise. Inputs are fed by name: {@code input_ids}, {@code attention_mask}, {@code
 * token_type_ids} (all zeros).
 *
 * <p>Thread-safe: the session and tokenizer are shared; every call borrows its own buffers.
 */
public final class OnnxTextEncoder implements TextEncoder {
  /** Most texts in one {@link #encode(List)} call. */
  public static final int MAX_BATCH = 4096;

  private final OnnxTower tower;
  private final BundleTokenizer tokenizer;
  private final ScratchPool scratch;

  private OnnxTextEncoder(OnnxTower tower, BundleTokenizer tokenizer) {
    this.tower = tower;
    this.tokenizer = tokenizer;
    this.scratch = new ScratchPool(2 * Runtime.getRuntime().availableProcessors());
  }

  /**
   * Loads the text tower and tokenizer of a bundle and validates the ONNX graph against the
   * manifest.
   *
   * @throws EncoderException if the graph does not match (the message lists its inputs/outputs) or
   *     the session cannot be created
   */
  public static OnnxTextEncoder load(ModelBundle bundle, EncoderOptions options) {
    OnnxTower tower = OnnxTower.open(bundle, bundle.manifest().text(), options);
    try {
      OnnxSignature.validateText(tower.file, tower.spec, tower.session, tower.width);
      return new OnnxTextEncoder(tower, BundleTokenizer.load(bundle));
    } catch (RuntimeException e) {
      tower.close();
      throw e;
    }
  }

  @Override
  public int dim() {
    return tower.dim;
  }

  /** The tokenizer this encoder uses. */
  public BundleTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public List<float[]> encode(List<String> texts) {
    if (texts == null || texts.isEmpty()) {
      throw new IllegalArgumentException("texts must not be empty");
    }
    if (texts.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "batch has %d texts; the limit is %d", texts.size(), MAX_BATCH));
    }
    return encode(tokenizer.encode(texts));
  }

  /**
   * Encodes an already tokenised batch (row {@code i} of the result belongs to row {@code i} of the
   * batch).
   *
   * @throws IllegalArgumentException if the batch exceeds {@link #MAX_BATCH} rows or the
   *     tokenizer's {@code maxLength} columns, or a row is not right-padded with at least one real
   *     token
   */
  public List<float[]> encode(TokenBatch batch) {
    checkBatch(batch);
    int n = batch.batch();
    int seq = batch.seqLen();
    int cells = n * seq;
    boolean pooled = tower.spec.pooling() == Pooling.NONE;
    long[] outShape = pooled ? new long[] {n, tower.width} : new long[] {n, seq, tower.width};
    long[] shape = {n, seq};
    ScratchPool.Scratch s = scratch.acquire();
    try {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      try {
        int slot = 0;
        for (String name : tower.spec.inputs()) {
          LongBuffer buf = s.longs(slot++, cells);
          switch (name) {
            case "input_ids" -> buf.put(0, batch.ids());
            case "attention_mask" -> buf.put(0, batch.mask());
            default -> {
              for (int i = 0; i < cells; i++) {
                buf.put(i, 0L);
              }
            }
          }
          inputs.put(name, OnnxTensor.createTensor(OnnxSessions.environment(), buf, shape));
        }
      } catch (OrtException e) {
        inputs.values().forEach(OnnxTensor::close);
        throw new EncoderException("cannot create input tensors: " + e.getMessage(), e);
      }
      FloatBuffer out = tower.run(inputs, s, outShape).values();
      List<float[]> result = new ArrayList<>(n);
      long[] mask = batch.mask();
      for (int i = 0; i < n; i++) {
        float[] v =
            Pooler.pool(
                out, tower.spec.pooling(), i, seq, tower.width, batch.length(i), mask, i * seq);
        result.add(tower.finish(v, "text " + i));
      }
      return result;
    } finally {
      scratch.release(s);
    }
  }

  private void checkBatch(TokenBatch batch) {
    if (batch.batch() > MAX_BATCH || batch.seqLen() > tokenizer.maxLength()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "token batch is %d x %d; the limits are %d rows and maxLength %d columns",
              batch.batch(),
              batch.seqLen(),
              MAX_BATCH,
              tokenizer.maxLength()));
    }
    long[] mask = batch.mask();
    for (int i = 0; i < batch.batch(); i++) {
      int base = i * batch.seqLen();
      int length = batch.length(i);
      if (length == 0) {
        throw new IllegalArgumentException("token batch row " + i + " has no real tokens");
      }
      for (int t = 0; t < batch.seqLen(); t++) {
        if (mask[base + t] != (t < length ? 1 : 0)) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "token batch row %d is not right-padded: mask[%d] = %d (mask must be 1...1 0...0)",
                  i,
                  t,
                  mask[base + t]));
        }
      }
    }
  }

  @Override
  public ActiveProvider executionProvider() {
    return tower.executionProvider;
  }

  @Override
  public void close() {
    try {
      tower.close();
    } finally {
      tokenizer.close();
    }
  }
}
